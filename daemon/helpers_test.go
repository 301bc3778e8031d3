package daemon_test

import (
	"fmt"
	"log/slog"
	"strconv"
	"testing"
)

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(p[:len(p)-1]))
	return len(p), nil
}

func itoa(n int) string { return strconv.Itoa(n) }

func fmtSscan(s string, v *float64) (int, error) { return fmt.Sscan(s, v) }
