package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/internal/testutil"
)

// syncBuffer is a bytes.Buffer safe for the demo's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestDemoComesUpAndEachAccountLogsIn runs the demo briefly: its URL answers,
// every printed login works, a second demo in the same folder is refused,
// and Ctrl+C stops everything and says so.
func TestDemoComesUpAndEachAccountLogsIn(t *testing.T) {
	dir := t.TempDir()
	httpAddr, mqttAddr := freePort(t), freePort(t)
	args := []string{"demo", "--dir", dir, "--listen", httpAddr, "--mqtt-listen", mqttAddr, "--faults=false"}
	noenv := func(string) string { return "" }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, noenv, strings.NewReader(""), &out, &errOut) }()
	testutil.Eventually(t, 60*time.Second, "the demo's logins", func() bool { return strings.Contains(out.String(), "Dừng / stop") })

	logins := regexp.MustCompile(`(?m)^    (admin|truongkhu|canbo)\s+(\S+)\s+(admin|operator|viewer)`).FindAllStringSubmatch(out.String(), -1)
	if len(logins) != 3 {
		t.Fatalf("want 3 logins, got %q\n%s", logins, out.String())
	}
	base := "http://" + httpAddr
	if resp, err := http.Get(base + "/"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET / = %v %v", resp, err)
	}
	for _, l := range logins {
		body := `{"username":"` + l[1] + `","password":"` + l[2] + `"}`
		resp, err := http.Post(base+"/api/v1/login", "application/json", strings.NewReader(body))
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("login as %s: %v %v", l[1], resp, err)
		}
		resp.Body.Close()
	}

	// A second demo in the same folder is refused and leaves the first alone.
	var out2, err2 syncBuffer
	if err := run(ctx, args, noenv, strings.NewReader(""), &out2, &err2); err == nil || !strings.Contains(err2.String(), "another demo is already running") {
		t.Fatalf("second demo: %v %q", err, err2.String())
	}
	// A port in use is reported, not silently changed.
	other := append([]string{}, args...)
	other[2] = t.TempDir()
	if err := run(ctx, other, noenv, strings.NewReader(""), &out2, &err2); err == nil || !strings.Contains(err2.String(), "cannot listen on "+httpAddr) {
		t.Fatalf("demo on a busy port: %v %q", err, err2.String())
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("demo ended with %v\n%s", err, errOut.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the demo did not stop within 30s of Ctrl+C")
	}
	if !strings.Contains(errOut.String(), "everything stopped") {
		t.Fatalf("no word that everything stopped:\n%s", errOut.String())
	}
}
