package testsvc

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Database is the InfluxDB database StartInflux creates; its bucket for the v2
// API is Database + "/autogen".
const Database = "hamlet"

// Timeouts for InfluxDB.
const (
	influxReady = 60 * time.Second // from exec to /health passing (about 4s idle, 10s+ on a busy 2-core CI machine)
	influxGrace = 15 * time.Second // from SIGTERM to exit
)

// Influx is a real InfluxDB OSS 1.8 server run for one test. Its methods other
// than Query, QuerySeries and Write fail the test it was created for, so call
// them from that test's goroutine.
type Influx struct {
	t       testing.TB
	port    int
	rpcPort int
	dir     string
	proc    *process
	client  *http.Client
}

// StartInflux starts a real influxd 1.8.10 on free 127.0.0.1 ports (HTTP and
// backup RPC) with its data in t.TempDir(), creates the database "hamlet" and
// returns once it serves queries and writes. The binary is $HAMLET_INFLUXD,
// else <repo>/.tools/influxd (see scripts/install-services.sh), else influxd
// on PATH. Like StartMosquitto it skips under -short or when influxd is not
// installed (t.Fatal if HAMLET_REQUIRE_SERVICES=1), and stops it in t.Cleanup.
func StartInflux(t testing.TB) *Influx {
	t.Helper()
	if testing.Short() {
		t.Skip("testsvc: skipping real influxd under -short")
	}
	root, err := repoRoot()
	if err != nil {
		t.Fatalf("testsvc: %v", err)
	}
	bin, err := findBinary(os.Getenv("HAMLET_INFLUXD"), filepath.Join(root, ".tools", "influxd"), "influxd")
	skipUnavailable(t, "influxd", err)
	tmp := t.TempDir()
	i := &Influx{t: t, dir: filepath.Join(tmp, "data"), client: &http.Client{Timeout: 30 * time.Second}}
	conf := filepath.Join(tmp, "influxdb.conf")
	i.proc = &process{name: "influxd", bin: bin, args: []string{"run", "-config", conf}, logPath: filepath.Join(tmp, "influxd.log")}
	t.Cleanup(func() {
		i.proc.kill()
		if t.Failed() {
			i.proc.logTail(t)
		}
	})
	const attempts = 3
	for attempt := 1; ; attempt++ {
		ports := freePorts(t, 2)
		i.port, i.rpcPort = ports[0], ports[1]
		vars := map[string]string{"HTTP_PORT": strconv.Itoa(i.port), "RPC_PORT": strconv.Itoa(i.rpcPort), "DIR": i.dir}
		text, err := renderTemplate(root, "influxdb.conf", vars)
		if err != nil {
			t.Fatalf("testsvc: influxd: %v", err)
		}
		if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
			t.Fatalf("testsvc: influxd: %v", err)
		}
		err = i.start()
		if err == nil {
			return i
		}
		if attempt < attempts && errors.Is(err, errExited) && addrInUse(i.proc) {
			t.Logf("testsvc: influxd port %d or %d was taken; retrying on others", i.port, i.rpcPort)
			continue
		}
		i.fail(err)
	}
}

// URL returns the server's HTTP address as http://127.0.0.1:PORT.
func (i *Influx) URL() string { return fmt.Sprintf("http://127.0.0.1:%d", i.port) }

// Bucket returns "hamlet/autogen", the v2 API's name for the database's
// default retention policy.
func (i *Influx) Bucket() string { return Database + "/autogen" }

// Stop sends SIGTERM and waits for the server to exit. If it has not exited
// after 15s it is killed and the test fails.
func (i *Influx) Stop() {
	i.t.Helper()
	if !i.proc.stop(influxGrace) {
		i.t.Errorf("testsvc: influxd did not exit within %s of SIGTERM; killed it", influxGrace)
	}
}

// Kill sends SIGKILL and waits for the server to exit.
func (i *Influx) Kill() { i.proc.kill() }

// Start starts the server again on the same ports and data directory after
// Stop or Kill, and waits until it serves queries and writes. It does nothing
// if the server is running.
func (i *Influx) Start() {
	i.t.Helper()
	if i.proc.running() {
		return
	}
	if err := i.start(); err != nil {
		i.fail(err)
	}
}

func (i *Influx) start() error {
	if err := i.proc.start(); err != nil {
		return err
	}
	err := waitReady(i.proc, influxReady, i.health)
	if err == nil {
		err = i.post("/query", url.Values{"q": {"CREATE DATABASE " + Database}})
	}
	if err != nil {
		i.proc.kill()
	}
	return err
}

// health returns nil once GET /health answers 200.
func (i *Influx) health() error {
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(i.URL() + "/health")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /health: %s", resp.Status)
	}
	return nil
}

// post sends a form to path and expects a 2xx answer.
func (i *Influx) post(path string, form url.Values) error {
	resp, err := i.client.PostForm(i.URL()+path, form)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("POST %s: %s: %s", path, resp.Status, strings.TrimSpace(string(body)))
	}
	return nil
}

func (i *Influx) fail(err error) {
	i.t.Helper()
	i.proc.logTail(i.t)
	i.t.Fatalf("testsvc: influxd on %s: %v", i.URL(), err)
}
