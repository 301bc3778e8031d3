package telemetry

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"
	"github.com/prometheus/client_golang/prometheus/testutil"

	hamtest "github.com/hamlet-vn/hamlet/internal/testutil"

	"github.com/hamlet-vn/hamlet/internal/testsvc"
)

// These tests run against a real InfluxDB 1.8.10 (internal/testsvc); they
// are skipped under -short or when influxd is not installed.

// integrationWriter starts a writer on i with the spool in dir.
func integrationWriter(t *testing.T, i *testsvc.Influx, dir string, logs *syncBuffer, mod func(*Options)) *Writer {
	t.Helper()
	o := Options{URL: i.URL(), Bucket: i.Bucket(), SpoolDir: dir, BatchSize: 1000, MaxPendingAcks: 200,
		FlushInterval: 50 * time.Millisecond, RetryMin: 50 * time.Millisecond, RetryMax: 500 * time.Millisecond,
		WriteTimeout: 5 * time.Second, Logger: testLogger(logs)}
	if mod != nil {
		mod(&o)
	}
	w := New(o)
	if err := w.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = closeWriter(t, w, 10*time.Second) })
	return w
}

// seqPoint is point number n of measurement meas, with a unique timestamp.
func seqPoint(meas string, start time.Time, n int) *write.Point {
	return write.NewPointWithMeasurement(meas).AddTag("device", fmt.Sprintf("dev-%d", n%10)).
		AddField("seq", n).AddField("power_w", 35.2).SetTime(start.Add(time.Duration(n) * time.Millisecond))
}

func addSeq(w *Writer, a *acks, meas string, start time.Time, from, to, per int) {
	for n := from; n < to; n += per {
		var ps []*write.Point
		for k := n; k < min(n+per, to); k++ {
			ps = append(ps, seqPoint(meas, start, k))
		}
		w.Add(ps, a.fn(n/per))
	}
}

// checkSeq checks that meas holds exactly the sequence numbers [0, n).
func checkSeq(t *testing.T, i *testsvc.Influx, meas string, n int) {
	t.Helper()
	rows := i.Query(t, "SELECT count(seq) FROM "+meas)
	if len(rows) != 1 || rows[0][1] != float64(n) {
		t.Errorf("SELECT count(seq) FROM %s = %v, want %d", meas, rows, n)
	}
	seen := make([]bool, n)
	for _, r := range i.Query(t, "SELECT seq FROM "+meas) {
		v, ok := r[1].(float64)
		if !ok || v < 0 || int(v) >= n || seen[int(v)] {
			t.Fatalf("unexpected or repeated seq %v", r[1])
		}
		seen[int(v)] = true
	}
	for k, ok := range seen {
		if !ok {
			t.Fatalf("seq %d missing", k)
		}
	}
}

func TestInfluxOutageLosesNothing(t *testing.T) {
	i := testsvc.StartInflux(t)
	var logs syncBuffer
	w := integrationWriter(t, i, t.TempDir(), &logs, nil)
	const total, per = 20000, 10
	start := time.Now().Add(-time.Hour).Truncate(time.Second)
	var a acks

	t0 := time.Now()
	addSeq(w, &a, "seqtest", start, 0, 10000, per)
	hamtest.Eventually(t, 20*time.Second, "acks before the outage", func() bool { return a.count() == 1000 })
	t.Logf("before the outage: 10000 points written and acknowledged in %s", time.Since(t0))

	addSeq(w, &a, "seqtest", start, 10000, 12000, per)
	ts := time.Now()
	i.Stop()
	t.Logf("InfluxDB stopped in %s", time.Since(ts))
	addSeq(w, &a, "seqtest", start, 12000, total, per)
	hamtest.Eventually(t, 20*time.Second, "every ack while InfluxDB is down", func() bool { return a.count() == total/per })
	if err := a.inOrder(total / per); err != nil {
		t.Error(err)
	}
	spooled := testutil.ToFloat64(w.m.spooled)
	if spooled < 8000 {
		t.Errorf("points_spooled = %v, want at least the 8000 added during the outage", spooled)
	}

	t1 := time.Now()
	i.Start()
	t2 := time.Now()
	hamtest.Eventually(t, 30*time.Second, "the spool to drain", func() bool { return w.spool.empty() })
	t.Logf("InfluxDB restarted in %s; then %v spooled points replayed in %s", t2.Sub(t1), spooled, time.Since(t2))
	checkSeq(t, i, "seqtest", total)
	if v := testutil.ToFloat64(w.m.dropped.WithLabelValues(dropSpoolFull)); v != 0 {
		t.Errorf("points dropped: %v", v)
	}
}

func TestInfluxFieldTypeConflictRejectsOnlyTheBadPoint(t *testing.T) {
	i := testsvc.StartInflux(t)
	var logs syncBuffer
	w := integrationWriter(t, i, t.TempDir(), &logs, func(o *Options) { o.FlushInterval = time.Hour; o.BatchSize = 50 })
	start := time.Now().Add(-time.Hour)
	i.Write(t, fmt.Sprintf("conflict,device=a v=1 %d\n", start.UnixNano()))
	var a acks
	for n := 1; n <= 50; n++ {
		p := write.NewPointWithMeasurement("conflict").AddTag("device", "a").AddField("v", float64(n))
		if n == 17 {
			p = write.NewPointWithMeasurement("conflict").AddTag("device", "a").AddField("v", "not a number")
		}
		w.Add([]*write.Point{p.SetTime(start.Add(time.Duration(n) * time.Second))}, a.fn(n-1))
	}
	hamtest.Eventually(t, 10*time.Second, "50 acks", func() bool { return a.count() == 50 })
	rows := i.Query(t, "SELECT count(v) FROM conflict")
	if len(rows) != 1 || rows[0][1] != float64(50) {
		t.Errorf("count(v) = %v, want 50 (1 before + 49 good of the batch)", rows)
	}
	if v := testutil.ToFloat64(w.m.rejected); v != 1 {
		t.Errorf("points_rejected = %v, want 1", v)
	}
}

func TestInfluxEscapingRoundTrip(t *testing.T) {
	i := testsvc.StartInflux(t)
	var logs syncBuffer
	w := integrationWriter(t, i, t.TempDir(), &logs, nil)
	text := "Loa \"số 1\", C:\\path\nline two"
	var a acks
	w.Add([]*write.Point{write.NewPointWithMeasurement("tricky").AddTag("zone", "Ngõ 3, a=b").
		AddField("text", text).AddField("n", 1.5).SetTime(time.Now().Add(-time.Minute))}, a.fn(0))
	hamtest.Eventually(t, 10*time.Second, "the ack", func() bool { return a.count() == 1 })
	series := i.QuerySeries(t, "SELECT n, text FROM tricky GROUP BY zone")
	if len(series) != 1 || series[0].Tags["zone"] != "Ngõ 3, a=b" || len(series[0].Values) != 1 {
		t.Fatalf("series %+v", series)
	}
	// A newline inside a string field is stored as the two characters \n.
	want := "Loa \"số 1\", C:\\path\\nline two"
	if got := series[0].Values[0]; got[1] != 1.5 || got[2] != want {
		t.Errorf("row %q, want n=1.5 text=%q", got, want)
	}
}

func TestInfluxClosedWhileDownReplaysInNewWriter(t *testing.T) {
	i := testsvc.StartInflux(t)
	dir := t.TempDir()
	var logs syncBuffer
	i.Stop()
	w1 := integrationWriter(t, i, dir, &logs, nil)
	start := time.Now().Add(-2 * time.Hour)
	var a acks
	addSeq(w1, &a, "closedown", start, 0, 5000, 5)
	if err := closeWriter(t, w1, 10*time.Second); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := a.inOrder(1000); err != nil {
		t.Fatalf("after Close: %v", err)
	}
	if v := testutil.ToFloat64(w1.m.spooled); v != 5000 {
		t.Fatalf("points_spooled = %v, want 5000", v)
	}
	i.Start()
	w2 := integrationWriter(t, i, dir, &logs, nil)
	hamtest.Eventually(t, 30*time.Second, "the new writer to replay the spool", func() bool { return w2.spool.empty() })
	checkSeq(t, i, "closedown", 5000)
}

// TestInfluxThroughput measures points per second written to the real
// InfluxDB with the default batching, as MQTT messages of 2 points each.
func TestInfluxThroughput(t *testing.T) {
	i := testsvc.StartInflux(t)
	for _, gz := range []bool{true, false} {
		var logs syncBuffer
		w := integrationWriter(t, i, t.TempDir(), &logs, func(o *Options) {
			o.BatchSize, o.MaxPendingAcks, o.FlushInterval, o.DisableGZip = 5000, 500, time.Second, !gz
		})
		const total, per = 100000, 2
		points := make([]*write.Point, total)
		start := time.Now().Add(-3 * time.Hour)
		meas := fmt.Sprintf("light_gzip_%v", gz)
		for n := range points {
			points[n] = write.NewPointWithMeasurement(meas).AddTag("area", "khu10").
				AddTag("device", fmt.Sprintf("den-%03d", n%200)).AddTag("kind", "light").AddTag("protocol", "tasmota").
				AddTag("zone", fmt.Sprintf("ngo-%d", n%8)).AddField("energy_kwh", float64(n)/1000).AddField("on", true).
				AddField("power_w", 35.2).AddField("seq", n).AddField("voltage_v", 229.0).
				SetTime(start.Add(time.Duration(n) * time.Millisecond))
		}
		var a acks
		t0 := time.Now()
		for n := 0; n < total; n += per {
			w.Add(points[n:n+per], a.fn(n/per))
		}
		hamtest.Eventually(t, 60*time.Second, "every ack", func() bool { return a.count() == total/per })
		d := time.Since(t0)
		t.Logf("gzip=%v: %d points in %s: %.0f points/s (%v batches)", gz, total, d, total/d.Seconds(),
			testutil.ToFloat64(w.m.batches))
		if v := testutil.ToFloat64(w.m.written); v != total {
			t.Errorf("points_written = %v", v)
		}
		_ = closeWriter(t, w, 10*time.Second)
	}
}
