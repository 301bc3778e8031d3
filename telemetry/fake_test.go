package telemetry

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"
)

// answer is the fake InfluxDB's answer to one write request.
type answer struct {
	status     int      // 0 means 204
	store      []string // lines stored; nil with status 0 or 204 means all
	msg        string   // error message
	retryAfter string   // Retry-After header
}

// fakeInflux is an httptest InfluxDB write endpoint that answers like
// InfluxDB 1.8 (JSON error body and X-Influxdb-Error header) as told by respond.
type fakeInflux struct {
	srv *httptest.Server

	mu       sync.Mutex
	respond  func(n int, lines []string) answer
	stored   map[string]int
	requests []time.Time
	hold     chan struct{} // while not nil, requests wait for it to close
}

func newFakeInflux(t *testing.T) *fakeInflux {
	f := &fakeInflux{stored: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeInflux) setRespond(r func(n int, lines []string) answer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.respond = r
}

func (f *fakeInflux) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/api/v2/write" || r.URL.Query().Get("bucket") != "hamlet/autogen" || r.URL.Query().Get("precision") != "ns" {
		http.Error(w, "unexpected request "+r.URL.String(), http.StatusTeapot)
		return
	}
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		body = zr
	}
	var lines []string
	sc := bufio.NewScanner(body)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		if sc.Text() != "" {
			lines = append(lines, sc.Text())
		}
	}
	f.mu.Lock()
	hold := f.hold
	f.requests = append(f.requests, time.Now())
	n := len(f.requests)
	respond := f.respond
	f.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-r.Context().Done():
			return
		}
	}
	a := answer{store: lines}
	if respond != nil {
		a = respond(n, lines)
	}
	if (a.status == 0 || a.status == http.StatusNoContent) && a.store == nil {
		a.store = lines
	}
	f.mu.Lock()
	for _, l := range a.store {
		f.stored[l]++
	}
	f.mu.Unlock()
	if a.status == 0 || a.status == http.StatusNoContent {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if a.retryAfter != "" {
		w.Header().Set("Retry-After", a.retryAfter)
	}
	w.Header().Set("X-Influxdb-Error", a.msg)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": a.msg})
}

// partialWrite answers like InfluxDB 1.8 to a batch holding lines containing
// bad: the others are stored and the answer is 400 "partial write".
func partialWrite(bad string) func(int, []string) answer {
	return func(_ int, lines []string) answer {
		var good []string
		for _, l := range lines {
			if !strings.Contains(l, bad) {
				good = append(good, l)
			}
		}
		if len(good) == len(lines) {
			return answer{store: lines}
		}
		return answer{status: 400, store: good, msg: fmt.Sprintf(
			`partial write: field type conflict: input field "seq" on measurement "m" is type string, already exists as type integer dropped=%d`,
			len(lines)-len(good))}
	}
}

func failing(status int) func(int, []string) answer {
	return func(int, []string) answer { return answer{status: status, msg: http.StatusText(status)} }
}

func (f *fakeInflux) storedCount() (distinct, total int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, n := range f.stored {
		total += n
	}
	return len(f.stored), total
}

func (f *fakeInflux) has(line string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.stored[line] > 0
}

func (f *fakeInflux) requestTimes() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Time(nil), f.requests...)
}

// base is the timestamp of test point 0.
var base = time.Date(2025, 11, 26, 0, 0, 0, 0, time.UTC)

func pt(i int) *write.Point {
	return write.NewPointWithMeasurement("m").AddTag("t", "x").AddField("seq", i).SetTime(base.Add(time.Duration(i)))
}

func ptLine(i int) string { return fmt.Sprintf("m,t=x seq=%di %d", i, base.UnixNano()+int64(i)) }

// acks records acknowledgements.
type acks struct {
	mu  sync.Mutex
	got []int
}

func (a *acks) fn(i int) func() {
	return func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		a.got = append(a.got, i)
	}
}

func (a *acks) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.got)
}

// inOrder reports whether the acks are 0..n-1 in order, each once.
func (a *acks) inOrder(n int) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.got) != n {
		return fmt.Errorf("%d acks, want %d", len(a.got), n)
	}
	for i, v := range a.got {
		if v != i {
			return fmt.Errorf("ack %d is input %d", i, v)
		}
	}
	return nil
}

// addN adds points [first, first+n) in inputs of per points each, input
// numbers counting from firstInput.
func addN(w *Writer, a *acks, first, n, per, firstInput int) {
	for i, in := first, firstInput; i < first+n; i, in = i+per, in+1 {
		var ps []*write.Point
		for j := i; j < min(i+per, first+n); j++ {
			ps = append(ps, pt(j))
		}
		w.Add(ps, a.fn(in))
	}
}

// startWriter starts a writer on f with test-friendly options changed by mod.
func startWriter(t *testing.T, f *fakeInflux, logs *syncBuffer, mod func(*Options)) *Writer {
	t.Helper()
	o := Options{
		URL: f.srv.URL, Bucket: "hamlet/autogen", BatchSize: 500, MaxPendingAcks: 100,
		FlushInterval: 20 * time.Millisecond, RetryMin: 10 * time.Millisecond, RetryMax: 50 * time.Millisecond,
		WriteTimeout: 5 * time.Second, SpoolDir: t.TempDir(), Logger: testLogger(logs),
	}
	if mod != nil {
		mod(&o)
	}
	w := New(o)
	if err := w.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = w.Close(ctx)
	})
	return w
}
