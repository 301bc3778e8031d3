package testsvc

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// process is one run-at-a-time child server: it can be started again after
// it has exited, with its output appended to the same log file.
type process struct {
	name    string
	bin     string
	args    []string
	logPath string
	logged  bool // the log's tail was already shown (see logTail)

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when the current run has exited
	err  error         // the current run's exit status, valid after done
}

// start starts a new run; the previous one must have exited.
func (p *process) start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done != nil {
		select {
		case <-p.done:
		default:
			return fmt.Errorf("%s: already running (pid %d)", p.name, p.cmd.Process.Pid)
		}
	}
	logf, err := os.OpenFile(p.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("%s: open log: %w", p.name, err)
	}
	defer logf.Close()
	fmt.Fprintf(logf, "--- testsvc %s: %s %s\n", time.Now().Format(time.RFC3339Nano), p.bin, strings.Join(p.args, " "))
	cmd := exec.Command(p.bin, p.args...)
	cmd.Stdout = logf
	cmd.Stderr = logf
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%s: start %s: %w", p.name, p.bin, err)
	}
	done := make(chan struct{})
	p.cmd, p.done, p.err = cmd, done, nil
	go func() {
		err := cmd.Wait()
		p.mu.Lock()
		p.err = err
		p.mu.Unlock()
		close(done)
	}()
	return nil
}

// exited returns a channel closed when the current run exits, or nil when the
// process was never started.
func (p *process) exited() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.done
}

// exitErr returns the last run's exit status.
func (p *process) exitErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// running reports whether the current run has not exited yet.
func (p *process) running() bool {
	done := p.exited()
	if done == nil {
		return false
	}
	select {
	case <-done:
		return false
	default:
		return true
	}
}

// stop sends SIGTERM to the process group and waits up to grace for it to
// exit, then sends SIGKILL. It reports whether the process exited by itself.
func (p *process) stop(grace time.Duration) bool {
	if !p.running() {
		return true
	}
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	terminate(cmd)
	select {
	case <-done:
		return true
	case <-time.After(grace):
	}
	p.kill()
	return false
}

// kill sends SIGKILL to the process group and waits for the process to exit.
func (p *process) kill() {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	if cmd == nil {
		return
	}
	select {
	case <-done: // exited and reaped: its PID and group ID may belong to others now
		return
	default:
	}
	kill(cmd)
	<-done
}

// logTail logs the last lines of the log file on t, once.
func (p *process) logTail(t testing.TB) {
	t.Helper()
	p.mu.Lock()
	logged := p.logged
	p.logged = true
	p.mu.Unlock()
	if !logged {
		t.Logf("testsvc: %s log %s, last lines:\n%s", p.name, p.logPath, p.tail(30))
	}
}

// tail returns the last n lines of the log file.
func (p *process) tail(n int) string {
	b, err := os.ReadFile(p.logPath)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// errExited is returned by readiness waits when the process exits first.
var errExited = errors.New("exited before it was ready")
