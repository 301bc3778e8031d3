package testsvc

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// Timeouts for Mosquitto.
const (
	mosquittoReady = 10 * time.Second // from exec to a CONNACK (milliseconds when idle)
	mosquittoGrace = 10 * time.Second // from SIGTERM to exit (saving persistence)
)

// Mosquitto is a real Mosquitto broker run for one test. Its methods fail the
// test they were created for, so call them from that test's goroutine.
type Mosquitto struct {
	t    testing.TB
	port int
	dir  string // the persistence directory
	proc *process
}

// StartMosquitto starts a real mosquitto on a free 127.0.0.1 port with
// persistence in t.TempDir() and returns once it accepts MQTT connections. It
// calls t.Skip under -short or when mosquitto is not installed (t.Fatal if
// HAMLET_REQUIRE_SERVICES=1), and stops it in t.Cleanup. The binary is
// $HAMLET_MOSQUITTO, else mosquitto on PATH or in /usr/sbin or /usr/local/sbin.
func StartMosquitto(t testing.TB) *Mosquitto {
	t.Helper()
	if testing.Short() {
		t.Skip("testsvc: skipping real mosquitto under -short")
	}
	bin, err := findBinary(os.Getenv("HAMLET_MOSQUITTO"), "mosquitto",
		"/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/opt/homebrew/sbin/mosquitto")
	skipUnavailable(t, "mosquitto", err)
	root, err := repoRoot()
	if err != nil {
		t.Fatalf("testsvc: %v", err)
	}
	tmp := t.TempDir()
	m := &Mosquitto{t: t, dir: filepath.Join(tmp, "data")}
	if err := os.Mkdir(m.dir, 0o700); err != nil {
		t.Fatalf("testsvc: %v", err)
	}
	conf := filepath.Join(tmp, "mosquitto.conf")
	m.proc = &process{name: "mosquitto", bin: bin, args: []string{"-c", conf}, logPath: filepath.Join(tmp, "mosquitto.log")}
	t.Cleanup(func() {
		m.proc.kill()
		if t.Failed() {
			m.proc.logTail(t)
		}
	})
	const attempts = 3
	for attempt := 1; ; attempt++ {
		m.port = FreePort(t)
		vars := map[string]string{"PORT": strconv.Itoa(m.port), "DIR": m.dir, "USER": brokerUser()}
		text, err := renderTemplate(root, "mosquitto.conf", vars)
		if err != nil {
			t.Fatalf("testsvc: mosquitto: %v", err)
		}
		if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
			t.Fatalf("testsvc: mosquitto: %v", err)
		}
		err = m.start()
		if err == nil {
			return m
		}
		if attempt < attempts && errors.Is(err, errExited) && addrInUse(m.proc) {
			t.Logf("testsvc: mosquitto port %d was taken; retrying on another", m.port)
			continue
		}
		m.fail(err)
	}
}

// brokerUser is the account named in the config's "user" option, which
// Mosquitto only uses when started as root: staying root lets it write its
// persistence file into the test's directory.
func brokerUser() string {
	if os.Geteuid() == 0 {
		return "root"
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "mosquitto"
}

// URL returns the broker's address as tcp://127.0.0.1:PORT.
func (m *Mosquitto) URL() string { return "tcp://" + m.Addr() }

// Addr returns the broker's address as 127.0.0.1:PORT.
func (m *Mosquitto) Addr() string { return fmt.Sprintf("127.0.0.1:%d", m.port) }

// Stop sends SIGTERM and waits for the broker to exit, which saves its
// persistence file. If it has not exited after 10s it is killed and the test
// fails.
func (m *Mosquitto) Stop() {
	m.t.Helper()
	if !m.proc.stop(mosquittoGrace) {
		m.t.Errorf("testsvc: mosquitto did not exit within %s of SIGTERM; killed it", mosquittoGrace)
	}
}

// Kill sends SIGKILL and waits for the broker to exit: nothing is saved.
func (m *Mosquitto) Kill() { m.proc.kill() }

// Start starts the broker again on the same port and data directory after
// Stop or Kill, and waits until it accepts MQTT connections. It does nothing
// if the broker is running.
func (m *Mosquitto) Start() {
	m.t.Helper()
	if m.proc.running() {
		return
	}
	if err := m.start(); err != nil {
		m.fail(err)
	}
}

func (m *Mosquitto) start() error {
	if err := m.proc.start(); err != nil {
		return err
	}
	err := waitReady(m.proc, mosquittoReady, func() error { return mqttProbe(m.Addr(), time.Second) })
	if err != nil {
		m.proc.kill()
	}
	return err
}

func (m *Mosquitto) fail(err error) {
	m.t.Helper()
	m.proc.logTail(m.t)
	m.t.Fatalf("testsvc: mosquitto on %s: %v", m.Addr(), err)
}
