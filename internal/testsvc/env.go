package testsvc

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/internal/testutil"
)

// RequireEnv (testutil.RequireEnv) is the environment variable that, set to 1, turns a missing
// server into a test failure instead of a skip.
const RequireEnv = testutil.RequireEnv

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago. Another
// process may take it before the caller binds it; the Start functions retry on
// a new port when that happens.
func FreePort(t testing.TB) int {
	t.Helper()
	return freePorts(t, 1)[0]
}

// freePorts returns n distinct ports that were free a moment ago.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("testsvc: find a free port: %v", err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

// skipUnavailable skips t under -short, and when the server is missing skips
// t, or fails it when RequireEnv is 1 (testutil.Unavailable).
func skipUnavailable(t testing.TB, name string, err error) {
	t.Helper()
	if err != nil {
		testutil.Unavailable(t, fmt.Sprintf("testsvc: %s unavailable: %v", name, err), "run scripts/install-services.sh")
	}
}

// repoRoot returns the directory of the nearest go.mod at or above the
// working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod at or above the working directory")
		}
		dir = parent
	}
}

// findBinary returns the first of the candidates that is an executable file,
// looking names without a slash up on PATH.
func findBinary(candidates ...string) (string, error) {
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if !strings.ContainsRune(c, filepath.Separator) {
			if p, err := exec.LookPath(c); err == nil {
				return p, nil
			}
			continue
		}
		if fi, err := os.Stat(c); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return c, nil
		}
	}
	return "", fmt.Errorf("none of %s found", strings.Join(nonEmpty(candidates), ", "))
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// renderTemplate reads <root>/scripts/<name> and replaces each @KEY@ with its
// value.
func renderTemplate(root, name string, vars map[string]string) (string, error) {
	b, err := os.ReadFile(filepath.Join(root, "scripts", name))
	if err != nil {
		return "", fmt.Errorf("read config template: %w", err)
	}
	s := string(b)
	for k, v := range vars {
		s = strings.ReplaceAll(s, "@"+k+"@", v)
	}
	return s, nil
}

// waitReady polls check every 20ms until it succeeds, the process exits or
// the timeout passes.
func waitReady(p *process, timeout time.Duration, check func() error) error {
	deadline := time.Now().Add(timeout)
	done := p.exited()
	for {
		err := check()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after %s: %w", p.name, timeout, err)
		}
		select {
		case <-done:
			return fmt.Errorf("%s %w (%v)", p.name, errExited, p.exitErr())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// addrInUse reports whether the process's log says its port was taken.
func addrInUse(p *process) bool {
	s := strings.ToLower(p.tail(20))
	return strings.Contains(s, "address already in use")
}
