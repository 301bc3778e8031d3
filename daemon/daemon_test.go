package daemon_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/hamlet-vn/hamlet/config"
	"github.com/hamlet-vn/hamlet/daemon"
	"github.com/hamlet-vn/hamlet/internal/testsvc"
	"github.com/hamlet-vn/hamlet/internal/testutil"
)

// testConfig returns defaults with every address on a free loopback port and
// state in a temp dir.
func testConfig(t *testing.T, broker string) config.Config {
	t.Helper()
	cfg := config.Default()
	cfg.MQTT.Broker = broker
	cfg.MQTT.Listen = "127.0.0.1:0"
	cfg.MQTT.ReconnectMax = time.Second
	cfg.HTTP.Listen = "127.0.0.1:0"
	cfg.Storage.Dir = t.TempDir()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// startDaemon runs the real composition root until the test ends and waits
// until it is ready.
func startDaemon(t *testing.T, cfg config.Config) *daemon.Daemon {
	t.Helper()
	d := daemon.New(cfg, daemon.Options{Logger: testLogger(t), Version: "test", ShutdownTimeout: 5 * time.Second})
	stop := run(t, d)
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return d
}

// run runs d and waits until it is ready. stop cancels Run and returns its
// error, failing the test when Run does not return within 10s.
func run(t *testing.T, d *daemon.Daemon) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	select {
	case <-d.Ready():
	case err := <-done:
		cancel()
		t.Fatalf("daemon stopped before ready: %v", err)
	case <-time.After(45 * time.Second):
		cancel()
		t.Fatal("daemon not ready within 45s")
	}
	return func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			t.Error("daemon did not stop within 30s")
			return nil
		}
	}
}

// watcher is a plain paho client that records what it hears on a topic.
type watcher struct {
	mu   sync.Mutex
	msgs []string
}

func watch(t *testing.T, brokerURL, topic string) *watcher {
	t.Helper()
	w := &watcher{}
	opts := paho.NewClientOptions().AddBroker(brokerURL).SetClientID("watcher-" + t.Name()).
		SetAutoReconnect(true).SetMaxReconnectInterval(500 * time.Millisecond).SetConnectRetry(true).
		SetConnectRetryInterval(200 * time.Millisecond)
	opts.SetOnConnectHandler(func(c paho.Client) {
		c.Subscribe(topic, 1, func(_ paho.Client, m paho.Message) {
			w.mu.Lock()
			w.msgs = append(w.msgs, string(m.Payload()))
			w.mu.Unlock()
		})
	})
	c := paho.NewClient(opts)
	c.Connect()
	t.Cleanup(func() { c.Disconnect(100) })
	return w
}

func (w *watcher) last() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.msgs) == 0 {
		return ""
	}
	return w.msgs[len(w.msgs)-1]
}

func (w *watcher) count(payload string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, m := range w.msgs {
		if m == payload {
			n++
		}
	}
	return n
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// metric returns the sum of the samples of a Prometheus metric family, or -1.
func metric(t *testing.T, base, name string) float64 {
	_, body := get(t, base+"/metrics")
	sum, found := 0.0, false
	for _, line := range strings.Split(body, "\n") {
		if !strings.HasPrefix(line, name) || (len(line) > len(name) && line[len(name)] != ' ' && line[len(name)] != '{') {
			continue
		}
		var v float64
		fields := strings.Fields(line)
		if _, err := fmtSscan(fields[len(fields)-1], &v); err == nil {
			sum += v
			found = true
		}
	}
	if !found {
		return -1
	}
	return sum
}

func TestDaemonReconnectsToRestartedMosquitto(t *testing.T) {
	broker := testsvc.StartMosquitto(t)
	cfg := testConfig(t, broker.URL())
	statusTopic := "hamlet/" + cfg.Area.ID + "/$daemon/status"
	status := watch(t, broker.URL(), statusTopic)
	d := startDaemon(t, cfg)
	base := "http://" + d.HTTPAddr()

	testutil.Eventually(t, 5*time.Second, "retained status online", func() bool { return status.last() == "online" })
	if code, body := get(t, base+"/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz = %d %s", code, body)
	}

	broker.Kill() // no DISCONNECT: the broker dies like a power cut
	testutil.Eventually(t, 10*time.Second, "/readyz to report the broker down", func() bool {
		code, _ := get(t, base+"/readyz")
		return code == http.StatusServiceUnavailable
	})

	broker.Start()

	testutil.Eventually(t, 15*time.Second, "status republished after reconnect", func() bool { return status.count("online") >= 2 })
	testutil.Eventually(t, 5*time.Second, "/readyz ready again", func() bool {
		code, _ := get(t, base+"/readyz")
		return code == http.StatusOK
	})

	// Resubscribed: a message published now reaches the daemon.
	before := metric(t, base, "hamlet_mqtt_messages_received_total")
	pub := paho.NewClient(paho.NewClientOptions().AddBroker(broker.URL()).SetClientID("pub-" + t.Name()))
	if tok := pub.Connect(); tok.WaitTimeout(5*time.Second) && tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	defer pub.Disconnect(100)
	pub.Publish("hamlet/"+cfg.Area.ID+"/den-01/status", 1, false, "online").WaitTimeout(5 * time.Second)
	testutil.Eventually(t, 5*time.Second, "the daemon to receive a message after the restart", func() bool {
		return metric(t, base, "hamlet_mqtt_messages_received_total") > before
	})

}

func TestDaemonOnEmbeddedBroker(t *testing.T) {
	cfg := testConfig(t, config.EmbeddedBroker)
	d := startDaemon(t, cfg)
	base := "http://" + d.HTTPAddr()
	if code, body := get(t, base+"/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz = %d %s", code, body)
	}
	if code, _ := get(t, base+"/healthz"); code != http.StatusOK {
		t.Fatalf("/healthz = %d", code)
	}
}

func TestDaemonStartsWithUnreachableBroker(t *testing.T) {
	port := testsvc.FreePort(t)
	cfg := testConfig(t, "tcp://127.0.0.1:"+itoa(port))
	ctx, cancel := context.WithCancel(context.Background())
	d := daemon.New(cfg, daemon.Options{Logger: testLogger(t), Version: "test"})
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	testutil.Eventually(t, 30*time.Second, "HTTP to serve while the broker is unreachable", func() bool { return d.HTTPAddr() != "" })
	base := "http://" + d.HTTPAddr()
	testutil.Eventually(t, 5*time.Second, "/readyz 503", func() bool {
		code, _ := get(t, base+"/readyz")
		return code == http.StatusServiceUnavailable
	})

	select {
	case err := <-done:
		t.Fatalf("daemon exited with an unreachable broker: %v", err)
	default:
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no stop within 10s")
	}
}

// recordingNotifier records sd_notify states.
type recordingNotifier struct {
	mu     sync.Mutex
	states []string
}

func (n *recordingNotifier) Notify(state string) {
	n.mu.Lock()
	n.states = append(n.states, state)
	n.mu.Unlock()
}

func (n *recordingNotifier) seen(prefix string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, s := range n.states {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

var _ daemon.Notifier = (*recordingNotifier)(nil)

func TestSystemdReadyWatchdogAndStopping(t *testing.T) {
	t.Setenv("WATCHDOG_USEC", "200000") // as systemd sets it with WatchdogSec=200ms
	cfg := testConfig(t, config.EmbeddedBroker)
	n := &recordingNotifier{}
	ctx, cancel := context.WithCancel(context.Background())
	d := daemon.New(cfg, daemon.Options{Logger: testLogger(t), Version: "test", Notifier: n})
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	testutil.Eventually(t, 15*time.Second, "READY=1", func() bool { return n.seen("READY=1") })
	testutil.Eventually(t, 5*time.Second, "a watchdog ping", func() bool { return n.seen("WATCHDOG=1") })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !n.seen("STOPPING=1") {
		t.Error("no STOPPING=1")
	}
}
