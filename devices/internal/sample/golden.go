package sample

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update is the -update test flag: rewrite golden files instead of comparing.
// It is defined here, once, so every test package that imports sample gets
// it without defining its own.
var update = flag.Bool("update", false, "rewrite testdata/*.golden files with the current output")

// Updating reports whether the test binary runs with -update.
func Updating() bool { return *update }

// Golden compares got with testdata/<name>.golden in the calling test's
// package directory (the working directory of `go test`). Under -update the
// file is (re)written instead. A mismatch fails the test and shows the first
// differing line.
func Golden(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatalf("sample: %v", err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("sample: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("sample: golden file %s: %v (run the test with -update to create it)", path, err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl := strings.Split(string(got), "\n")
	wl := strings.Split(string(want), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w || i >= len(gl) || i >= len(wl) {
			t.Errorf("sample: output differs from %s at line %d (run with -update if the change is intended)\n got: %q\nwant: %q", path, i+1, g, w)
			return
		}
	}
}
