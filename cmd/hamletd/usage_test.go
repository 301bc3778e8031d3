package main

import (
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/internal/bilingual"
)

// TestUsageErrorsVietnameseFirst: cobra's and pflag's English-only usage
// errors are replaced by ours, Vietnamese first.
func TestUsageErrorsVietnameseFirst(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string // in the English half
	}{
		{[]string{"bogus"}, `unknown command "bogus" for "hamletd"`},
		{[]string{"user", "bogus"}, `unknown command "bogus" for "hamletd user"`},
		{[]string{"user", "add"}, "hamletd user add needs exactly one argument NAME, got 0"},
		{[]string{"user", "passwd", "an", "binh"}, "hamletd user passwd needs exactly one argument NAME, got 2"},
		{[]string{"version", "now"}, `hamletd version takes no arguments, got "now"`},
		{[]string{"check-config", "--nope"}, "unknown flag: --nope"},
		{[]string{"user", "add", "an", "--role"}, "flag needs an argument: --role"},
		{[]string{"user", "add", "an", "--role", "root"}, `unknown role "root"`},
	} {
		_, stderr, err := runArgs(t, nil, tt.args...)
		if err == nil {
			t.Errorf("%v: no error", tt.args)
			continue
		}
		msg := strings.TrimPrefix(strings.TrimSpace(stderr), "hamletd: ")
		if e := bilingual.Check(msg); e != nil {
			t.Errorf("%v: %v", tt.args, e)
		}
		if !strings.Contains(msg, tt.want) || strings.Contains(msg, "arg(s)") {
			t.Errorf("%v: %q, want %q", tt.args, msg, tt.want)
		}
	}
}

// TestCheckConfigProblemsVietnameseFirst: every line check-config prints
// about a bad file is Vietnamese first, then English.
func TestCheckConfigProblemsVietnameseFirst(t *testing.T) {
	_, stderr, err := runArgs(t, nil, "check-config", "--config", "../../config/testdata/bad-many.yaml")
	if err == nil {
		t.Fatal("check-config accepted a bad file")
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) < 10 || lines[0] != "hamletd: cấu hình không hợp lệ / invalid config:" {
		t.Fatalf("report:\n%s", stderr)
	}
	for _, line := range lines[1:] {
		_, msg, _ := strings.Cut(line, ": ")
		if e := bilingual.Check(msg); e != nil {
			t.Errorf("%v", e)
		}
	}
	_, stderr, _ = runArgs(t, nil, "check-config", "--config", "../../config/testdata/nope.yaml")
	if e := bilingual.Check(strings.TrimPrefix(stderr, "hamletd: ")); e != nil || !strings.Contains(stderr, "không tìm thấy tệp cấu hình") {
		t.Errorf("missing file: %q %v", stderr, e)
	}
}
