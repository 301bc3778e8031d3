package testutil

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// fakeTB records a failure instead of ending the test.
type fakeTB struct {
	testing.TB
	msg     string
	skipped bool
}

// Skipf records the skip.
func (f *fakeTB) Skipf(format string, args ...any) {
	f.msg, f.skipped = fmt.Sprintf(format, args...), true
}

func (f *fakeTB) Helper() {}

// Fatalf records the failure; Eventually then sees it through cond and returns.
func (f *fakeTB) Fatalf(format string, args ...any) { f.msg = fmt.Sprintf(format, args...) }

func TestEventuallyHolds(t *testing.T) {
	n := 0
	Eventually(t, 5*time.Second, "three checks", func() bool { n++; return n == 3 })
	if n != 3 {
		t.Fatalf("cond checked %d times, want 3", n)
	}
}

func TestEventuallyTimesOut(t *testing.T) {
	f := &fakeTB{}
	start := time.Now()
	Eventually(f, 20*time.Millisecond, "never", func() bool { return f.msg != "" })
	if f.msg == "" || !strings.Contains(f.msg, "never") {
		t.Fatalf("no failure naming what was awaited: %q", f.msg)
	}
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Fatalf("gave up after %v, before the deadline", d)
	}
}

func TestUnavailableSkipsOrFails(t *testing.T) {
	t.Setenv(RequireEnv, "")
	f := &fakeTB{}
	Unavailable(f, `samples directory "/x" not found`, "set HAMLET_SAMPLES")
	if !f.skipped || !strings.Contains(f.msg, "/x") {
		t.Errorf("without %s: skipped=%v %q, want a skip naming the path", RequireEnv, f.skipped, f.msg)
	}
	t.Setenv(RequireEnv, "1")
	f = &fakeTB{}
	Unavailable(f, `samples directory "/x" not found`, "set HAMLET_SAMPLES")
	if f.skipped || !strings.Contains(f.msg, "/x") || !strings.Contains(f.msg, RequireEnv+"=1") {
		t.Errorf("with %s=1: skipped=%v %q, want a failure naming the path and the variable", RequireEnv, f.skipped, f.msg)
	}
}
