package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

func TestDebugListenerServesProfilesOnLoopbackOnly(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, addr := range []string{"0.0.0.0:6060", ":6060", "192.168.1.10:6060", "6060"} {
		if _, err := startDebugListener(context.Background(), addr, log); err == nil || !strings.Contains(err.Error(), "--debug-listen") {
			t.Errorf("%q: err = %v, want a refusal naming --debug-listen", addr, err)
		}
	}
	if bound, err := startDebugListener(context.Background(), "", log); bound != "" || err != nil {
		t.Errorf("empty address: %q, %v; want nothing served", bound, err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bound, err := startDebugListener(ctx, "127.0.0.1:0", log)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + bound + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "goroutine profile") {
		t.Errorf("goroutine profile: %d %.200s", resp.StatusCode, body)
	}
	cancel()
}

func TestRunRefusesAPublicDebugListener(t *testing.T) {
	_, stderr, err := runArgs(t, nil, "run", "--debug-listen", "0.0.0.0:6060")
	if err == nil || !strings.Contains(stderr, "loopback") {
		t.Fatalf("run --debug-listen 0.0.0.0:6060: %v\n%s", err, stderr)
	}
}
