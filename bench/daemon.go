package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Daemon is a hamletd subprocess that a benchmark started.
type Daemon struct {
	cmd  *exec.Cmd
	done chan struct{}
	// HTTPURL is its HTTP address, http://127.0.0.1:PORT.
	HTTPURL string
}

// StartDaemon runs `bin run --config config [args]` with its output appended to
// logPath and without the HAMLET_* environment (which would override the
// config), and waits up to readyTimeout for /readyz on port to answer 200.
// The daemon dies with the benchmark (Pdeathsig).
func StartDaemon(ctx context.Context, bin, config, logPath string, port int, readyTimeout time.Duration, args ...string) (*Daemon, error) {
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	cmd := exec.Command(bin, append([]string{"run", "--config", config}, args...)...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Env = WithoutHamletEnv(os.Environ())
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	d := &Daemon{cmd: cmd, done: make(chan struct{}), HTTPURL: fmt.Sprintf("http://127.0.0.1:%d", port)}
	go func() { _ = cmd.Wait(); close(d.done) }()
	if err := d.waitReady(ctx, readyTimeout); err != nil {
		d.Kill()
		return nil, fmt.Errorf("%w (log: %s)", err, logPath)
	}
	return d, nil
}

// WithoutHamletEnv drops HAMLET_* variables, which would override the config.
func WithoutHamletEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "HAMLET_") {
			out = append(out, kv)
		}
	}
	return out
}

// PID is the daemon's process id.
func (d *Daemon) PID() int { return d.cmd.Process.Pid }

// Done is closed when the daemon has exited.
func (d *Daemon) Done() <-chan struct{} { return d.done }

func (d *Daemon) waitReady(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	c := http.Client{Timeout: 2 * time.Second}
	for {
		resp, err := c.Get(d.HTTPURL + "/readyz")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = errors.New(resp.Status)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("hamletd not ready after %s: %w", timeout, err)
		}
		select {
		case <-d.done:
			return errors.New("hamletd exited before it was ready")
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Metrics scrapes the daemon's /metrics into series → value, e.g.
// "go_goroutines" or `hamlet_ingest_messages_rejected_total{reason="malformed"}`.
func (d *Daemon) Metrics() (map[string]float64, error) {
	c := http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(d.HTTPURL + "/metrics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		var v float64
		if _, err := fmt.Sscan(line[i+1:], &v); err == nil {
			out[line[:i]] = v
		}
	}
	return out, nil
}

// Stop sends SIGTERM and waits up to timeout for the daemon to exit, then
// kills it; it reports whether it had to.
func (d *Daemon) Stop(timeout time.Duration) (killed bool) {
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.done:
		return false
	case <-time.After(timeout):
		d.Kill()
		return true
	}
}

// Kill sends SIGKILL and waits for the daemon to exit.
func (d *Daemon) Kill() {
	_ = d.cmd.Process.Kill()
	<-d.done
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
