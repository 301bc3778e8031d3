package sample

import (
	"os"
	"testing"
)

func TestGolden(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("testdata/x.golden", []byte("a\nb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	Golden(t, "x", []byte("a\nb\n"))
	ft := &fakeTB{TB: t}
	Golden(ft, "x", []byte("a\nc\n"))
	if !ft.failed {
		t.Error("Golden accepted different content")
	}
	ft = &fakeTB{TB: t}
	Golden(ft, "missing", []byte("a"))
	if !ft.failed {
		t.Error("Golden accepted a missing file")
	}
}

// fakeTB records failures instead of failing the test.
type fakeTB struct {
	testing.TB
	failed bool
}

func (f *fakeTB) Helper()               {}
func (f *fakeTB) Errorf(string, ...any) { f.failed = true }
func (f *fakeTB) Fatalf(string, ...any) { f.failed = true }
