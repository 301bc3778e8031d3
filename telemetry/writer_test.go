package telemetry

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	hamtest "github.com/hamlet-vn/hamlet/internal/testutil"

	"github.com/hamlet-vn/hamlet/devices"
)

func closeWriter(t *testing.T, w *Writer, d time.Duration) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return w.Close(ctx)
}

func TestWriterWritesAndAcksInOrder(t *testing.T) {
	f := newFakeInflux(t)
	var logs syncBuffer
	reg := prometheus.NewRegistry()
	w := startWriter(t, f, &logs, func(o *Options) { o.Registerer = reg })
	var a acks
	addN(w, &a, 0, 10000, 7, 0) // 1429 inputs
	hamtest.Eventually(t, 10*time.Second, "all acks", func() bool { return a.count() == 1429 })
	if err := a.inOrder(1429); err != nil {
		t.Error(err)
	}
	if d, total := f.storedCount(); d != 10000 || total != 10000 {
		t.Errorf("stored %d distinct, %d total lines; want 10000", d, total)
	}
	if !f.has(ptLine(9999)) {
		t.Errorf("line %q not stored", ptLine(9999))
	}
	if v := testutil.ToFloat64(w.m.written); v != 10000 {
		t.Errorf("points_written = %v", v)
	}
	// Batches are cut at MaxPendingAcks (100 inputs, 700 points) or BatchSize (500).
	if v := testutil.ToFloat64(w.m.batches); v < 20 {
		t.Errorf("batches_written = %v, want at least 20", v)
	}
	if n, err := testutil.GatherAndCount(reg); err != nil || n == 0 {
		t.Errorf("metrics not registered: %d, %v", n, err)
	}
	if err := closeWriter(t, w, 5*time.Second); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := closeWriter(t, w, time.Second); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if v := testutil.ToFloat64(w.m.pendingAcks); v != 0 {
		t.Errorf("pending_acks = %v after Close", v)
	}
}

func TestWriterFlushInterval(t *testing.T) {
	f := newFakeInflux(t)
	var logs syncBuffer
	w := startWriter(t, f, &logs, func(o *Options) { o.FlushInterval = 30 * time.Millisecond; o.FlushIdle = time.Hour })
	var a acks
	start := time.Now()
	w.Add([]*write.Point{pt(1)}, a.fn(0))
	hamtest.Eventually(t, 5*time.Second, "the ack of one point", func() bool { return a.count() == 1 })
	if d := time.Since(start); d < 25*time.Millisecond {
		t.Errorf("acked after %s, before the flush interval", d)
	}
	if !f.has(ptLine(1)) {
		t.Error("point not written")
	}
}

// TestWriterFlushIdle checks that a batch that received a burst is cut
// once nothing was added to it for FlushIdle, long before FlushInterval.
func TestWriterFlushIdle(t *testing.T) {
	f := newFakeInflux(t)
	var logs syncBuffer
	w := startWriter(t, f, &logs, func(o *Options) { o.FlushInterval = time.Hour; o.FlushIdle = 20 * time.Millisecond })
	var a acks
	addN(w, &a, 0, 3*idleBurst, 1, 0) // a burst
	last := time.Now()
	hamtest.Eventually(t, 5*time.Second, "the burst's acks", func() bool { return a.count() == 3*idleBurst })
	if d := time.Since(last); d < 15*time.Millisecond {
		t.Errorf("acked %s after the last Add, before FlushIdle", d)
	}
	if err := a.inOrder(3 * idleBurst); err != nil {
		t.Error(err)
	}
}

// TestWriterFlushIdleLeavesATrickle checks that inputs arriving one by one,
// slower than a burst, are not cut by FlushIdle: each would become a write.
func TestWriterFlushIdleLeavesATrickle(t *testing.T) {
	f := newFakeInflux(t)
	var logs syncBuffer
	w := startWriter(t, f, &logs, func(o *Options) { o.FlushInterval = time.Hour; o.FlushIdle = 10 * time.Millisecond })
	var a acks
	for i := range 3 {
		w.Add([]*write.Point{pt(i)}, a.fn(i))
		time.Sleep(30 * time.Millisecond) // the pause under test: three FlushIdles, not a wait for a scheduler
	}
	w.mu.Lock()
	waiting := 0
	if w.cur != nil {
		waiting = len(w.cur.acks)
	}
	w.mu.Unlock()
	if waiting != 3 || a.count() != 0 {
		t.Fatalf("%d inputs wait in the batch and %d were acknowledged; want 3 waiting", waiting, a.count())
	}
	if err := closeWriter(t, w, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := a.inOrder(3); err != nil {
		t.Error(err)
	}
}

// TestWriterSpoolsWhileUnavailable covers every error class that means
// "InfluxDB cannot take points now": the points are spooled and acknowledged,
// and replayed once InfluxDB answers again.
func TestWriterSpoolsWhileUnavailable(t *testing.T) {
	for _, status := range []int{500, 503, 404, 401, 403} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			f := newFakeInflux(t)
			f.setRespond(failing(status))
			var logs syncBuffer
			w := startWriter(t, f, &logs, nil)
			var a acks
			addN(w, &a, 0, 3000, 3, 0)
			hamtest.Eventually(t, 10*time.Second, "acks while InfluxDB fails", func() bool { return a.count() == 1000 })
			if err := a.inOrder(1000); err != nil {
				t.Error(err)
			}
			if v := testutil.ToFloat64(w.m.spooled); v != 3000 {
				t.Errorf("points_spooled = %v, want 3000", v)
			}
			if v := testutil.ToFloat64(w.m.up); v != 0 {
				t.Errorf("influx_up = %v while failing", v)
			}
			f.setRespond(nil)
			hamtest.Eventually(t, 10*time.Second, "the spool to drain", func() bool { return w.spool.empty() })
			if d, _ := f.storedCount(); d != 3000 {
				t.Errorf("stored %d distinct lines, want 3000", d)
			}
			if v := testutil.ToFloat64(w.m.replayed); v != 3000 {
				t.Errorf("points_replayed = %v, want 3000", v)
			}
			hamtest.Eventually(t, time.Second, "influx_up", func() bool { return testutil.ToFloat64(w.m.up) == 1 })
			log := logs.String()
			down := "InfluxDB unavailable"
			if status == 401 || status == 403 || status == 404 {
				down = "level=ERROR msg=\"telemetry: InfluxDB refuses writes; check influx.url"
			}
			if !strings.Contains(log, down) || !strings.Contains(log, "available again") {
				t.Errorf("transitions not logged:\n%s", logs.String())
			}
		})
	}
}

func TestWriterHonoursRetryAfter(t *testing.T) {
	f := newFakeInflux(t)
	f.setRespond(func(n int, _ []string) answer {
		if n == 1 {
			return answer{status: 429, msg: "too many requests", retryAfter: "1"}
		}
		return answer{}
	})
	var logs syncBuffer
	w := startWriter(t, f, &logs, nil)
	var a acks
	w.Add([]*write.Point{pt(1), pt(2)}, a.fn(0))
	hamtest.Eventually(t, 5*time.Second, "the point replayed", func() bool { return f.has(ptLine(2)) })
	times := f.requestTimes()
	if len(times) < 2 {
		t.Fatalf("%d requests", len(times))
	}
	if gap := times[1].Sub(times[0]); gap < 900*time.Millisecond {
		t.Errorf("retried after %s despite Retry-After: 1", gap)
	}
	if a.count() != 1 {
		t.Errorf("%d acks", a.count())
	}
}

func TestWriterPartialWriteRejectsOnlyTheBadPoint(t *testing.T) {
	f := newFakeInflux(t)
	f.setRespond(partialWrite(`seq="bad"`))
	var logs syncBuffer
	w := startWriter(t, f, &logs, func(o *Options) { o.BatchSize = 100; o.FlushInterval = time.Hour })
	var a acks
	for i := 0; i < 100; i++ {
		p := pt(i)
		if i == 37 {
			p = write.NewPointWithMeasurement("m").AddTag("t", "x").AddField("seq", "bad").SetTime(base.Add(37))
		}
		w.Add([]*write.Point{p}, a.fn(i))
	}
	hamtest.Eventually(t, 5*time.Second, "100 acks", func() bool { return a.count() == 100 })
	if err := a.inOrder(100); err != nil {
		t.Error(err)
	}
	if d, _ := f.storedCount(); d != 99 {
		t.Errorf("stored %d lines, want the 99 good ones", d)
	}
	if v := testutil.ToFloat64(w.m.rejected); v != 1 {
		t.Errorf("points_rejected = %v, want 1", v)
	}
	if v := testutil.ToFloat64(w.m.spooled); v != 0 {
		t.Errorf("points_spooled = %v, want 0", v)
	}
	if log := logs.String(); !strings.Contains(log, "point rejected") || !strings.Contains(log, `seq=\"bad\"`) ||
		!strings.Contains(log, "field type conflict") {
		t.Errorf("rejection not logged with the line and the reason:\n%s", log)
	}
}

func TestWriterSplitsTooLargeRequests(t *testing.T) {
	f := newFakeInflux(t)
	f.setRespond(func(_ int, lines []string) answer {
		if len(lines) > 60 {
			return answer{status: 413, msg: "Request Entity Too Large"}
		}
		return answer{store: lines}
	})
	var logs syncBuffer
	w := startWriter(t, f, &logs, nil)
	var a acks
	addN(w, &a, 0, 500, 500, 0)
	hamtest.Eventually(t, 5*time.Second, "the ack", func() bool { return a.count() == 1 })
	if d, _ := f.storedCount(); d != 500 {
		t.Errorf("stored %d, want 500", d)
	}
	if v := testutil.ToFloat64(w.m.rejected); v != 0 {
		t.Errorf("points_rejected = %v", v)
	}
}

func TestWriterBackpressure(t *testing.T) {
	f := newFakeInflux(t)
	hold := make(chan struct{})
	f.mu.Lock()
	f.hold = hold
	f.mu.Unlock()
	var logs syncBuffer
	w := startWriter(t, f, &logs, func(o *Options) { o.MaxInFlight = 1; o.BatchSize = 10 })
	var a acks
	done := make(chan struct{})
	go func() {
		defer close(done)
		addN(w, &a, 0, 100, 10, 0) // 10 batches; 1 in flight + 1 queued
	}()
	hamtest.Eventually(t, 5*time.Second, "Add to block", func() bool { return testutil.ToFloat64(w.m.blocked) > 0 })
	select {
	case <-done:
		t.Fatal("Add did not block while the queue was full")
	default:
	}
	if a.count() != 0 {
		t.Errorf("%d acks before anything was written", a.count())
	}
	close(hold)
	<-done
	hamtest.Eventually(t, 5*time.Second, "all acks", func() bool { return a.count() == 10 })
	if err := a.inOrder(10); err != nil {
		t.Error(err)
	}
}

func TestWriterCloseSpoolsAtDeadline(t *testing.T) {
	f := newFakeInflux(t)
	f.mu.Lock()
	f.hold = make(chan struct{}) // InfluxDB hangs
	f.mu.Unlock()
	var logs syncBuffer
	dir := t.TempDir()
	w := startWriter(t, f, &logs, func(o *Options) { o.SpoolDir = dir; o.FlushInterval = time.Hour })
	var a acks
	addN(w, &a, 0, 50, 5, 0)
	start := time.Now()
	if err := closeWriter(t, w, 200*time.Millisecond); err != nil {
		t.Errorf("Close: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %s", d)
	}
	if err := a.inOrder(10); err != nil {
		t.Errorf("after Close: %v", err)
	}
	if v := testutil.ToFloat64(w.m.spooled); v != 50 {
		t.Errorf("points_spooled = %v, want 50", v)
	}
	// Added after Close: counted, never acknowledged.
	w.Add([]*write.Point{pt(99)}, a.fn(99))
	if v := testutil.ToFloat64(w.m.dropped.WithLabelValues(dropClosed)); v != 1 || a.count() != 10 {
		t.Errorf("after Close: dropped{closed} = %v, acks %d", v, a.count())
	}

	// A new writer on the same spool replays once InfluxDB answers.
	f2 := newFakeInflux(t)
	w2 := startWriter(t, f2, &logs, func(o *Options) { o.SpoolDir = dir })
	hamtest.Eventually(t, 5*time.Second, "the replay", func() bool { d, _ := f2.storedCount(); return d == 50 })
	hamtest.Eventually(t, time.Second, "an empty spool", func() bool { return w2.spool.empty() })
}

func TestWriterWithoutSpoolDoesNotAckAtDeadline(t *testing.T) {
	f := newFakeInflux(t)
	f.setRespond(failing(503))
	var logs syncBuffer
	w := startWriter(t, f, &logs, func(o *Options) { o.SpoolDir = "" })
	var a acks
	addN(w, &a, 0, 20, 2, 0)
	hamtest.Eventually(t, 5*time.Second, "a failed write", func() bool { return len(f.requestTimes()) > 0 })
	err := closeWriter(t, w, 100*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "20 points") {
		t.Errorf("Close: %v, want an error naming 20 points", err)
	}
	if a.count() != 0 {
		t.Errorf("%d acks for points never written", a.count())
	}
	if v := testutil.ToFloat64(w.m.dropped.WithLabelValues(dropShutdown)); v != 20 {
		t.Errorf("dropped{shutdown} = %v", v)
	}
	if v := testutil.ToFloat64(w.m.pendingAcks); v != 0 {
		t.Errorf("pending_acks = %v", v)
	}
}

func TestWriterStartErrors(t *testing.T) {
	for name, o := range map[string]Options{
		"no url":     {Bucket: "b"},
		"bad url":    {URL: "127.0.0.1:8086", Bucket: "b"},
		"no bucket":  {URL: "http://127.0.0.1:8086"},
		"bad spool":  {URL: "http://127.0.0.1:8086", Bucket: "b", SpoolDir: "/proc/self/no/such"},
		"twice used": {URL: "http://127.0.0.1:8086", Bucket: "b"},
	} {
		w := New(o)
		if name == "twice used" {
			if err := w.Start(context.Background()); err != nil {
				t.Fatalf("%s: first Start: %v", name, err)
			}
		}
		if err := w.Start(context.Background()); err == nil {
			t.Errorf("%s: Start succeeded", name)
		}
		if err := closeWriter(t, w, time.Second); err != nil {
			t.Errorf("%s: Close: %v", name, err)
		}
	}
}

// TestWriterCutsAtMaxPendingAcks checks that a batch is written as soon as
// MaxPendingAcks inputs wait in it, long before BatchSize or FlushInterval,
// so that the broker's inflight window never fills.
func TestWriterCutsAtMaxPendingAcks(t *testing.T) {
	f := newFakeInflux(t)
	var logs syncBuffer
	w := startWriter(t, f, &logs, func(o *Options) {
		o.MaxPendingAcks, o.BatchSize, o.FlushInterval, o.FlushIdle = 3, 1e6, time.Hour, time.Hour
	})
	var a acks
	pending := func() int {
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.cur == nil {
			return 0
		}
		return len(w.cur.acks)
	}
	addN(w, &a, 0, 2, 1, 0)
	if n := pending(); n != 2 {
		t.Fatalf("%d inputs wait in the current batch after 2 Adds", n)
	}
	addN(w, &a, 2, 1, 1, 2) // the third input cuts the batch, synchronously
	if n := pending(); n != 0 {
		t.Fatalf("%d inputs still wait after MaxPendingAcks Adds", n)
	}
	hamtest.Eventually(t, 5*time.Second, "3 acks", func() bool { return a.count() == 3 })
}

func TestWriterAddReportCountsImplausibleTimes(t *testing.T) {
	f := newFakeInflux(t)
	var logs syncBuffer
	w := startWriter(t, f, &logs, nil)
	var a acks
	r := devices.Report{Time: received.Add(time.Hour), Metrics: map[string]float64{"power_w": 1}}
	w.AddReport("khu10", denNgo3, r, received, nil, a.fn(0))
	hamtest.Eventually(t, 5*time.Second, "the ack", func() bool { return a.count() == 1 })
	if v := testutil.ToFloat64(w.m.implausible); v != 1 {
		t.Errorf("timestamps_implausible = %v", v)
	}
	want := "light,area=khu10,device=den-ngo3-01,kind=light,protocol=tasmota,zone=ngo-3 power_w=1 " + receivedNS
	if !f.has(want) {
		t.Errorf("%q not written", want)
	}
}

func TestWriterRun(t *testing.T) {
	f := newFakeInflux(t)
	var logs syncBuffer
	w := New(Options{URL: f.srv.URL, Bucket: "hamlet/autogen", SpoolDir: t.TempDir(), FlushInterval: time.Hour,
		ShutdownTimeout: 5 * time.Second, Logger: testLogger(&logs)})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	hamtest.Eventually(t, 5*time.Second, "the writer to start", func() bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		return w.started
	})

	var a acks
	w.Add([]*write.Point{pt(1)}, a.fn(0))
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	if a.count() != 1 || !f.has(ptLine(1)) {
		t.Errorf("Run did not flush at the end: %d acks", a.count())
	}
}
