package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestReleaseBuildsForARM cross-compiles hamletd for the ARM boards hamlet is
// installed on (Raspberry Pi OS 64- and 32-bit) without cgo, as make release does.
func TestReleaseBuildsForARM(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiling takes a minute; not under -short")
	}
	for _, target := range []struct{ arch, arm string }{{"arm64", ""}, {"arm", "7"}} {
		out := filepath.Join(t.TempDir(), "hamletd")
		cmd := exec.Command("go", "build", "-trimpath", "-o", out, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+target.arch, "GOARM="+target.arm)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("GOARCH=%s GOARM=%s: %v\n%s", target.arch, target.arm, err, b)
		}
		if st, err := os.Stat(out); err != nil || st.Size() < 1<<20 {
			t.Fatalf("GOARCH=%s: no binary (%v)", target.arch, err)
		}
	}
}
