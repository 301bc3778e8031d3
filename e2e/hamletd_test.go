package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/testsvc"
	"github.com/hamlet-vn/hamlet/internal/testutil"
)

// Bounds of the daemon's lifecycle in these tests.
const (
	readyTimeout = 30 * time.Second // from exec to /readyz answering 200
	stopTimeout  = 20 * time.Second // from SIGTERM to exit (hamletd bounds its shutdown at 15s)
)

// hamletd is one hamletd subprocess, which can be killed and started again on
// the same configuration, storage directory and client id.
type hamletd struct {
	t       *testing.T
	config  string // the config file
	httpURL string // http://127.0.0.1:PORT
	logPath string
	client  *http.Client

	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
}

// fleetConfig describes the config file of a test's daemon.
type fleetConfig struct {
	Broker, InfluxURL, Bucket string
	// Lights are the Tasmota topics of devices declared as lights in zone
	// "z1"; each device's id is its topic with '_' replaced by '-'.
	Lights []string
	// Cameras are Tasmota topics declared as cameras in zone "z2".
	Cameras []string
	// Speakers are native speakers (ids) declared in zone "z1".
	Speakers []string
	// Sim are simulated devices (sim.Fleet.Devices, area "e2e", zones z1
	// and z2), declared as they are.
	Sim []devices.Device
}

// startHamletd writes the config file for fc into a new temporary directory,
// starts hamletd on it and waits until /readyz answers 200. The daemon is
// killed when the test ends, and its log's tail is shown if the test failed.
func startHamletd(t *testing.T, fc fleetConfig) *hamletd {
	t.Helper()
	if hamletdBin == "" {
		t.Skip("e2e: hamletd was not built (-short)")
	}
	dir := t.TempDir()
	port := testsvc.FreePort(t)
	h := &hamletd{
		t:       t,
		config:  filepath.Join(dir, "hamlet.yaml"),
		httpURL: fmt.Sprintf("http://127.0.0.1:%d", port),
		logPath: filepath.Join(dir, "hamletd.log"),
		client:  &http.Client{Timeout: 5 * time.Second},
	}
	text := renderConfig(fc, filepath.Join(dir, "data"), port)
	if err := os.WriteFile(h.config, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		h.kill()
		if t.Failed() {
			t.Logf("hamletd log %s, last lines:\n%s", h.logPath, tail(h.logPath, 40))
		}
	})
	h.start()
	return h
}

// renderConfig returns the YAML config of a test daemon.
func renderConfig(fc fleetConfig, storage string, httpPort int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `area: {id: e2e, name: "Khu kiểm thử", timezone: Asia/Ho_Chi_Minh}
mqtt: {broker: %q, client_id: hamletd-e2e, topic_prefix: hamlet, reconnect_max: 2s}
influx: {url: %q, bucket: %q}
http: {listen: "127.0.0.1:%d", public_url: "http://127.0.0.1:%d"}
storage: {dir: %q}
log: {level: info, format: text}
zones:
  - {id: z1, name: "Ngõ 1"}
  - {id: z2, name: "Ngõ 2"}
devices:
`, fc.Broker, fc.InfluxURL, fc.Bucket, httpPort, httpPort, storage)
	for _, topic := range fc.Lights {
		fmt.Fprintf(&b, "  - {id: %s, kind: light, zone: z1, protocol: tasmota, topic: %s}\n", deviceID(topic), topic)
	}
	for _, topic := range fc.Cameras {
		fmt.Fprintf(&b, "  - {id: %s, kind: camera, zone: z2, protocol: tasmota, topic: %s}\n", deviceID(topic), topic)
	}
	for _, id := range fc.Speakers {
		fmt.Fprintf(&b, "  - {id: %s, kind: speaker, zone: z1, protocol: native}\n", id)
	}
	for _, d := range fc.Sim {
		fmt.Fprintf(&b, "  - {id: %s, kind: %s, zone: %s, protocol: %s", d.ID, d.Kind, d.Zone, d.Protocol)
		if d.Topic != "" {
			fmt.Fprintf(&b, ", topic: %q", d.Topic)
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// deviceID is the id declared for the device with Tasmota topic topic.
func deviceID(topic string) string { return strings.ReplaceAll(topic, "_", "-") }

// start runs the daemon and waits until it is ready.
func (h *hamletd) start() {
	h.t.Helper()
	logf, err := os.OpenFile(h.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		h.t.Fatal(err)
	}
	defer logf.Close()
	fmt.Fprintf(logf, "--- e2e %s: hamletd run --config %s\n", time.Now().Format(time.RFC3339Nano), h.config)
	cmd := exec.Command(hamletdBin, "run", "--config", h.config)
	cmd.Env = testutil.DaemonEnv()
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		h.t.Fatalf("start hamletd: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	h.cmd, h.done = cmd, done
	h.waitReady()
}

// waitReady polls /readyz until it answers 200, failing the test when the
// daemon exits or readyTimeout passes.
func (h *hamletd) waitReady() {
	h.t.Helper()
	deadline := time.Now().Add(readyTimeout)
	var last string
	for {
		resp, err := h.client.Get(h.httpURL + "/readyz")
		if err == nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			last = fmt.Sprintf("%s: %s", resp.Status, strings.TrimSpace(string(body)))
		} else {
			last = err.Error()
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("hamletd not ready after %s: GET /readyz: %s", readyTimeout, last)
		}
		select {
		case <-h.done:
			h.t.Fatalf("hamletd exited before it was ready (%v)", h.cmd.ProcessState)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// kill sends SIGKILL and waits for the daemon to exit; nothing is flushed.
func (h *hamletd) kill() {
	if h.cmd == nil {
		return
	}
	select {
	case <-h.done:
		return
	default:
	}
	_ = h.cmd.Process.Signal(syscall.SIGKILL)
	<-h.done
}

// metrics scrapes /metrics and returns each sample by its series name, e.g.
// `hamlet_telemetry_points_written_total` or
// `hamlet_ingest_messages_rejected_total{reason="malformed"}`.
func (h *hamletd) metrics() (map[string]float64, error) {
	resp, err := h.client.Get(h.httpURL + "/metrics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /metrics: %s", resp.Status)
	}
	return parseMetrics(resp.Body)
}

// parseMetrics reads the Prometheus text format: "series value" per line.
func parseMetrics(r io.Reader) (map[string]float64, error) {
	out := map[string]float64{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			return nil, fmt.Errorf("metrics line %q: %w", line, err)
		}
		out[line[:i]] = v
	}
	return out, sc.Err()
}

// metric returns one series of /metrics, failing the test when it cannot be
// scraped; a series that is absent reads as 0.
func (h *hamletd) metric(series string) float64 {
	h.t.Helper()
	m, err := h.metrics()
	if err != nil {
		h.t.Fatalf("scrape hamletd metrics: %v", err)
	}
	return m[series]
}

// waitMetric polls series until it reaches at least min, failing the test
// after timeout. It returns the value seen.
func (h *hamletd) waitMetric(ctx context.Context, series string, min float64, timeout time.Duration) float64 {
	h.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		m, err := h.metrics()
		if err == nil && m[series] >= min {
			return m[series]
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("%s did not reach %v within %s (last %v, err %v)", series, min, timeout, m[series], err)
		}
		select {
		case <-ctx.Done():
			h.t.Fatalf("waiting for %s: %v", series, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// tail returns the last n lines of the file at path.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
