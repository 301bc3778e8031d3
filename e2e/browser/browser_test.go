package browser

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/bench"
	"github.com/hamlet-vn/hamlet/internal/testsvc"
	"github.com/hamlet-vn/hamlet/internal/testutil"
)

// testTimeout bounds the whole browser run.
const testTimeout = 8 * time.Minute

// Users the script signs in as (password for all: userPassword).
const userPassword = "mat-khau-kiem-thu"

var users = [][3]string{{"an", "admin", ""}, {"binh", "operator", "ngo-1"}, {"xem", "viewer", ""}}

// need fails the test (HAMLET_REQUIRE_SERVICES=1) or skips it when a piece
// outside the repository is missing.
func need(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	msg := fmt.Sprintf("browser test needs %s: %v (install with scripts/install-browser.sh)", what, err)
	if os.Getenv(testsvc.RequireEnv) == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

func TestPhoneUI(t *testing.T) {
	if testing.Short() {
		t.Skip("browser: skipped under -short")
	}
	_, err := os.Stat("/usr/bin/chromium")
	need(t, "Debian chromium at /usr/bin/chromium", err)
	node, err := exec.LookPath("node")
	need(t, "node", err)
	_, err = os.Stat(filepath.Join("node_modules", "playwright-core", "package.json"))
	need(t, "npm packages (npm ci in e2e/browser)", err)

	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	mq := testsvc.StartMosquitto(t)
	influx := testsvc.StartInflux(t) // Báo cáo's "Tất cả các khu" reads it
	dir := t.TempDir()
	bin := buildHamletd(t, dir)
	d := newDaemon(t, bin, dir, mq.URL(), influx)
	for _, u := range users {
		d.addUser(u[0], u[1], u[2])
	}
	// The lamp no device serves has said goodbye: its retained Last Will
	// makes it offline, so a zone command shows one "ngoại tuyến" result.
	pub := exec.Command("mosquitto_pub", "-h", "127.0.0.1", "-p", strings.TrimPrefix(mq.Addr(), "127.0.0.1:"),
		"-t", "tele/den_99/LWT", "-m", "Offline", "-r", "-q", "1")
	if out, err := pub.CombinedOutput(); err != nil {
		t.Fatalf("mosquitto_pub the offline lamp's will: %v\n%s", err, out)
	}
	d.start()
	publishSnapshot(t, mq.Addr(), dir)
	simArgs := append([]string{"sim", "--broker", mq.URL()}, simFleet...)
	simArgs = append(simArgs, "--period", "2s")
	simCmd := exec.CommandContext(ctx, bin, simArgs...)
	simLog, _ := os.Create(filepath.Join(dir, "sim.log"))
	defer simLog.Close()
	simCmd.Stdout, simCmd.Stderr = simLog, simLog
	simCmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := simCmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { simCmd.Process.Kill(); simCmd.Wait() }()

	shots := os.Getenv("HAMLET_SHOTS")
	if shots == "" {
		shots = filepath.Join(os.TempDir(), "hamlet-ui-shots")
	}
	os.RemoveAll(shots)
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots: %s", shots)

	cmd := exec.CommandContext(ctx, node, "ui.test.mjs")
	cmd.Env = append(os.Environ(), "BASE_URL="+d.url, "SHOTS="+shots, "PASSWORD="+userPassword)
	cmd.Stderr = os.Stderr
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	// What the page script asks of the services between its steps.
	controls := map[string]func(){"CTRL stop": d.stop, "CTRL start": d.start,
		"CTRL influx-stop": influx.Stop, "CTRL influx-start": influx.Start}
	failed := false
	var m measures
	for sc.Scan() {
		line := sc.Text()
		m.add(line) // WEIGHT, TIMING and FAIL lines, for the results file
		if control, ok := controls[line]; ok {
			control()
			io.WriteString(stdin, "ok\n")
			continue
		}
		switch {
		case strings.HasPrefix(line, "FAIL"):
			failed = true
			t.Error(line)
		default:
			t.Log(line)
		}
	}
	if err := cmd.Wait(); err != nil || failed {
		t.Errorf("ui.test.mjs: %v; hamletd log:\n%s", err, tail(d.logPath, 30))
	}
	if out := os.Getenv(OutEnv); out != "" {
		writeResults(t, out, &m)
	}
}

// benchRuns are the measures of every run of TestPhoneUI in this process
// (`go test -count=N`); each run rewrites the section with all of them.
var benchRuns []measures

// writeResults writes the measures of the runs so far as the phone-ui
// section of the results file at path (OutEnv; a relative path is from the
// repository's root).
func writeResults(t *testing.T, path string, m *measures) {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	if !m.measured() {
		t.Errorf("%s: ui.test.mjs printed no WEIGHT or TIMING line; %s left as it was", OutEnv, path)
		return
	}
	s, err := currentSetting(root, time.Now())
	if err != nil {
		t.Fatalf("measuring the embedded script and styles: %v", err)
	}
	benchRuns = append(benchRuns, *m)
	if err := bench.WriteSection(path, SectionTitle, markdown(benchRuns, s)); err != nil {
		t.Fatalf("writing the phone-ui section of %s: %v", path, err)
	}
	t.Logf("phone-ui section written to %s", path)
}

// simFleet is the simulated area: two zones, lamps, a camera, speakers.
var simFleet = []string{"--zones", "ngo-1,ngo-2", "--lights", "4", "--shelly", "1", "--esphome", "0",
	"--cameras", "1", "--speakers", "2"}

// buildHamletd builds ./cmd/hamletd into dir.
func buildHamletd(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "hamletd")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, "./cmd/hamletd")
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/hamletd: %v\n%s", err, out)
	}
	return bin
}

// daemon is a hamletd subprocess that can be stopped and started again.
type daemon struct {
	t                    *testing.T
	bin, config, logPath string
	url                  string
	cmd                  *exec.Cmd
	done                 chan struct{}
}

// newDaemon writes hamletd's config: the simulator's zones and devices plus
// one lamp no device answers for (it stays offline), exporting to influx.
func newDaemon(t *testing.T, bin, dir, broker string, influx *testsvc.Influx) *daemon {
	t.Helper()
	out, err := exec.Command(bin, append([]string{"sim", "--print-config"}, simFleet...)...).Output()
	if err != nil {
		t.Fatalf("hamletd sim --print-config: %v", err)
	}
	// Ngõ 2 may broadcast only in a window that opens in 6 hours, so Loa
	// shows it closed (Ngõ 1, where the test broadcasts, has none).
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	opens := time.Now().In(loc).Add(6 * time.Hour)
	window := fmt.Sprintf(`broadcast_windows: ["%s-%s"]`, opens.Format("15:04"), opens.Add(time.Hour).Format("15:04"))
	fleet := strings.NewReplacer(`name: "ngo-1"`, `name: "Ngõ 1"`, `name: "ngo-2"`, `name: "Ngõ 2", `+window).Replace(string(out))
	port := testsvc.FreePort(t)
	cfg := fmt.Sprintf(`area: {id: khu10, name: "Khu kiểm thử", timezone: Asia/Ho_Chi_Minh}
mqtt: {broker: %q, client_id: hamletd-ui, topic_prefix: hamlet, reconnect_max: 2s}
http: {listen: "127.0.0.1:%d"}
influx: {url: %q, bucket: %q, flush_interval: 200ms}
storage: {dir: %q}
log: {level: info, format: text}
%s  - {id: den-99, name: "Đèn hỏng số 99", kind: light, zone: ngo-1, protocol: tasmota, topic: den_99}
`, broker, port, influx.URL(), influx.Bucket(), filepath.Join(dir, "data"), fleet)
	d := &daemon{t: t, bin: bin, config: filepath.Join(dir, "hamlet.yaml"), logPath: filepath.Join(dir, "hamletd.log"),
		url: fmt.Sprintf("http://127.0.0.1:%d", port)}
	if err := os.WriteFile(d.config, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.stop)
	return d
}

// addUser creates a user with `hamletd user add`, the password on stdin.
func (d *daemon) addUser(name, role, zones string) {
	args := []string{"user", "add", name, "--role", role, "--config", d.config}
	if zones != "" {
		args = append(args, "--zones", zones)
	}
	cmd := exec.Command(d.bin, args...)
	cmd.Env = testutil.DaemonEnv()
	cmd.Stdin = strings.NewReader(userPassword + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		d.t.Fatalf("hamletd user add %s: %v\n%s", name, err, out)
	}
}

// start runs hamletd and waits until /readyz answers 200.
func (d *daemon) start() {
	d.t.Helper()
	logf, err := os.OpenFile(d.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		d.t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command(d.bin, "run", "--config", d.config)
	cmd.Env = testutil.DaemonEnv() // a developer's HAMLET_* would override the test's config
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		d.t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	d.cmd, d.done = cmd, done
	c := &http.Client{Timeout: 2 * time.Second}
	for deadline := time.Now().Add(30 * time.Second); ; {
		if resp, err := c.Get(d.url + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		select {
		case <-done:
			d.t.Fatalf("hamletd exited before it was ready:\n%s", tail(d.logPath, 30))
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("hamletd not ready after 30s:\n%s", tail(d.logPath, 30))
		}
	}
}

// stop sends SIGTERM and waits for hamletd to exit (SIGKILL after 20s).
func (d *daemon) stop() {
	if d.cmd == nil {
		return
	}
	d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.done:
	case <-time.After(20 * time.Second):
		d.cmd.Process.Kill()
		<-d.done
	}
	d.cmd = nil
}

// tail returns the last n lines of the file at path.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// publishSnapshot publishes, retained, a JPEG as Frigate's snapshot of
// camera cam_01 (the simulator sends none), for the Camera page.
func publishSnapshot(t *testing.T, addr, dir string) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 36))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "snapshot.jpg")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	host, port, _ := strings.Cut(addr, ":")
	pub := exec.Command("mosquitto_pub", "-h", host, "-p", port, "-t", "frigate/cam_01/person/snapshot", "-f", file, "-r", "-q", "1")
	if out, err := pub.CombinedOutput(); err != nil {
		t.Fatalf("mosquitto_pub the snapshot: %v\n%s", err, out)
	}
}
