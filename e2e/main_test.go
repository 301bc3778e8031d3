package e2e

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// hamletdBin is the path of the hamletd binary TestMain built, or "" under
// -short (every test skips then).
var hamletdBin string

// TestMain builds hamletd once for every test of the package, runs them and
// removes the binary.
func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	if testing.Short() {
		return m.Run()
	}
	tmp, err := os.MkdirTemp("", "hamlet-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	bin, err := buildHamletd(tmp)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: build hamletd:", err)
		return 1
	}
	hamletdBin = bin
	return m.Run()
}

// buildHamletd builds ./cmd/hamletd into dir, as `make build` does but
// keeping symbols, and returns the binary's path.
func buildHamletd(dir string) (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "hamletd")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, "./cmd/hamletd")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/hamletd in %s: %w\n%s", root, err, out)
	}
	return bin, nil
}

// repoRoot returns the directory of the nearest go.mod at or above the
// working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
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
