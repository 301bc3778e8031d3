package sample

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    Line
		wantErr string
	}{
		{in: `{"topic":"a/b","payload":"x","retained":true,"source":"s"}`, want: Line{Topic: "a/b", Payload: "x", Retained: true, Source: "s"}},
		{in: `{"topic":"a","payload":""}`, want: Line{Topic: "a"}},
		{in: `{"topic":"a","payload_b64":"//4="}`, want: Line{Topic: "a", Payload: "\xff\xfe"}},
		{in: `{"topic":"a"}`, wantErr: `"payload" missing`},
		{in: `{"payload":"x"}`, wantErr: `"topic" missing`},
		{in: `{"topic":"a","payload":"x","extra":1}`, wantErr: `unknown field "extra"`},
		{in: `{"topic":"a","payload":"x"} {}`, wantErr: "trailing data"},
		{in: `{"topic":"a","payload":`, wantErr: "malformed"},
		{in: `{"topic":"a","payload":"x","payload_b64":""}`, wantErr: "both"},
	}
	for _, tt := range tests {
		got, err := parse([]byte(tt.in))
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parse(%s) error = %v, want it to contain %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parse(%s) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestLoadAndSeeds(t *testing.T) {
	dir := t.TempDir()
	body := "{\"topic\":\"a\",\"payload\":\"1\"}\n\n{\"topic\":\"b\",\"payload\":\"2\",\"retained\":true}\n"
	if err := os.WriteFile(filepath.Join(dir, "x.jsonl"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvDir, dir)
	lines := Load(t, "x.jsonl")
	if len(lines) != 2 || lines[1].N != 3 || !lines[1].Retained || lines[1].Topic != "b" {
		t.Fatalf("Load = %+v", lines)
	}
	seeds := Seeds(t, "x.jsonl")
	if len(seeds) != 2 || string(seeds[0].Payload) != "1" {
		t.Fatalf("Seeds = %+v", seeds)
	}
	if got := Files(t); len(got) != 1 || got[0] != "x.jsonl" {
		t.Fatalf("Files = %v", got)
	}
	if _, err := read(filepath.Join(dir, "missing.jsonl")); err == nil {
		t.Fatal("read of a missing file succeeded")
	}
}

func TestMissingDir(t *testing.T) {
	t.Setenv(RequireEnv, "")
	t.Setenv(EnvDir, filepath.Join(t.TempDir(), "nope"))
	if _, ok := Locate(); ok {
		t.Fatal("Locate found a missing directory")
	}
	if s := Seeds(t, "x.jsonl"); s != nil {
		t.Fatalf("Seeds = %v, want nil", s)
	}
}

func TestRealSamplesParse(t *testing.T) {
	for _, f := range Files(t) {
		if n := len(Load(t, f)); n == 0 {
			t.Errorf("%s has no lines", f)
		}
	}
}

// skipRecorder records how a test ended instead of ending it.
type skipRecorder struct {
	testing.TB
	skipped, failed string
}

func (r *skipRecorder) Helper()                      {}
func (r *skipRecorder) Skipf(f string, args ...any)  { r.skipped = fmt.Sprintf(f, args...) }
func (r *skipRecorder) Fatalf(f string, args ...any) { r.failed = fmt.Sprintf(f, args...) }
func (r *skipRecorder) Logf(string, ...any)          {}

// TestMissingDirFailsWhenRequired checks that a missing samples directory
// skips the golden tests, naming the path, and fails them (and the fuzz
// seeds) under HAMLET_REQUIRE_SERVICES=1.
func TestMissingDirFailsWhenRequired(t *testing.T) {
	nope := filepath.Join(t.TempDir(), "nope")
	t.Setenv(EnvDir, nope)
	t.Setenv(RequireEnv, "")
	r := &skipRecorder{TB: t}
	Dir(r)
	if r.failed != "" || !strings.Contains(r.skipped, nope) {
		t.Errorf("not required: skipped %q, failed %q; want a skip naming %s", r.skipped, r.failed, nope)
	}
	t.Setenv(RequireEnv, "1")
	for name, call := range map[string]func(testing.TB){
		"Dir":   func(tb testing.TB) { Dir(tb) },
		"Seeds": func(tb testing.TB) { Seeds(tb, "x.jsonl") },
	} {
		r := &skipRecorder{TB: t}
		call(r)
		if r.skipped != "" || !strings.Contains(r.failed, nope) || !strings.Contains(r.failed, RequireEnv) {
			t.Errorf("%s required: skipped %q, failed %q; want a failure naming %s", name, r.skipped, r.failed, nope)
		}
	}
}
