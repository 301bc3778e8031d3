package ratelog

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestAllowOnePerIntervalAndCount(t *testing.T) {
	now := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	l := New(time.Minute, func() time.Time { return now })
	if _, ok := l.Allow("malformed"); !ok {
		t.Fatal("first line held back")
	}
	for range 3 {
		if _, ok := l.Allow("malformed"); ok {
			t.Fatal("line within the interval let through")
		}
	}
	if _, ok := l.Allow("empty"); !ok {
		t.Fatal("another key held back")
	}
	now = now.Add(time.Minute)
	if n, ok := l.Allow("malformed"); !ok || n != 3 {
		t.Fatalf("after the interval: %d, %v; want 3, true", n, ok)
	}
	if n, ok := l.Allow("malformed"); ok || n != 0 {
		t.Fatalf("right after: %d, %v", n, ok)
	}
}

func TestKeysAreBounded(t *testing.T) {
	l := New(time.Hour, nil)
	for i := range 3 * maxKeys {
		l.Allow(fmt.Sprint("topic/", i))
	}
	if n := len(l.last); n > maxKeys {
		t.Fatalf("%d keys remembered, want at most %d", n, maxKeys)
	}
}

func TestLogAddsSuppressed(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	now := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	l := New(time.Second, func() time.Time { return now })
	for range 3 {
		l.Log(log, slog.LevelWarn, "k", "hand-off full", "qos", 1)
	}
	now = now.Add(time.Second)
	if !l.Log(log, slog.LevelWarn, "k", "hand-off full", "qos", 1) {
		t.Fatal("line after the interval held back")
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "suppressed=0") || !strings.Contains(lines[1], "qos=1 suppressed=2") {
		t.Fatalf("log = %q", lines)
	}
}
