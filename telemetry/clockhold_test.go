package telemetry

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/hamlet-vn/hamlet/internal/clockguard"
	hamtest "github.com/hamlet-vn/hamlet/internal/testutil"
)

// bootClock is a box that booted in 1970 and whose clock NTP steps later.
func bootClock() (*hamtest.Clock, *clockguard.Guard) {
	c := hamtest.NewClock(time.Date(1970, 1, 1, 0, 0, 20, 0, time.UTC))
	return c, clockguard.New(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), c.Now, c.Mono)
}

func clockPoint(v int, at time.Time) *write.Point {
	return write.NewPoint("m", map[string]string{"t": "x"}, map[string]any{"v": v}, at)
}

func TestWriterHoldsPointsUntilTheClockIsPlausibleAndCorrectsThem(t *testing.T) {
	f := newFakeInflux(t)
	var logs syncBuffer
	c, g := bootClock()
	w := startWriter(t, f, &logs, func(o *Options) { o.Clock = g; o.Now = c.Now })
	var a acks
	w.Add([]*write.Point{clockPoint(1, time.Time{})}, a.fn(0)) // stamped by the writer: 1970-01-01T00:00:20
	c.Add(10 * time.Second)
	w.Add([]*write.Point{clockPoint(2, c.Now())}, a.fn(1)) // stamped by its maker: 00:00:30
	hamtest.Eventually(t, 5*time.Second, "held inputs acknowledged", func() bool { return a.count() == 2 })
	if err := a.inOrder(2); err != nil {
		t.Error(err)
	}
	if _, total := f.storedCount(); total != 0 {
		t.Fatalf("%d points written while the clock was not plausible", total)
	}
	if v := testutil.ToFloat64(w.m.clockHeld); v != 2 {
		t.Errorf("held_points = %v, want 2", v)
	}

	c.Add(30 * time.Second)
	ntp := time.Date(2026, 12, 4, 19, 0, 0, 0, time.UTC)
	c.Set(ntp) // NTP steps the clock, 40s after the first point
	w.Release()
	if ok, _ := g.Check(); !ok {
		t.Fatal("guard: clock still implausible")
	}
	w.Release()
	for i, at := range []time.Time{ntp.Add(-40 * time.Second), ntp.Add(-30 * time.Second)} {
		line := fmt.Sprintf("m,t=x v=%di %d", i+1, at.UnixNano())
		hamtest.Eventually(t, 5*time.Second, line, func() bool { return f.has(line) })
	}
	if v := testutil.ToFloat64(w.m.clockHeld); v != 0 {
		t.Errorf("held_points = %v after release", v)
	}
	w.Add([]*write.Point{clockPoint(3, time.Time{})}, nil) // live again
	line := fmt.Sprintf("m,t=x v=3i %d", ntp.UnixNano())
	hamtest.Eventually(t, 5*time.Second, line, func() bool { return f.has(line) })
	if _, total := f.storedCount(); total != 3 {
		t.Errorf("stored %d lines, want 3", total)
	}
}

func TestWriterCountsPointsItCannotReStampAsUnknown(t *testing.T) {
	f := newFakeInflux(t)
	var logs syncBuffer
	c, g := bootClock()
	w := startWriter(t, f, &logs, func(o *Options) { o.Clock = g; o.Now = c.Now; o.HoldMaxBytes = 70 })
	var a acks
	for i := range 10 { // "m,t=x v=0i 20000000000\n", 23 bytes each: three fit
		w.Add([]*write.Point{clockPoint(i, time.Time{})}, a.fn(i))
	}
	hamtest.Eventually(t, 5*time.Second, "acks", func() bool { return a.count() == 10 })
	if v := testutil.ToFloat64(w.m.clockLost); v != 7 {
		t.Errorf("unknown_points = %v, want 7", v)
	}
	if err := closeWriter(t, w, 5*time.Second); err != nil { // still 1970: the held three are unknown too
		t.Fatalf("Close: %v", err)
	}
	if v := testutil.ToFloat64(w.m.clockLost); v != 10 {
		t.Errorf("unknown_points = %v after Close, want 10", v)
	}
	if _, total := f.storedCount(); total != 0 {
		t.Errorf("%d points with unknown times written", total)
	}
	if !strings.Contains(logs.String(), "hamlet_clock_unknown_points_total") {
		t.Errorf("no log of the unknown points: %s", logs.String())
	}
}

func TestWriterAddExactIsNeverHeld(t *testing.T) {
	f := newFakeInflux(t)
	var logs syncBuffer
	c, g := bootClock()
	w := startWriter(t, f, &logs, func(o *Options) { o.Clock = g; o.Now = c.Now })
	window := time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC) // a maintenance window a person declared
	w.AddExact([]*write.Point{clockPoint(1, window)}, nil)
	line := fmt.Sprintf("m,t=x v=1i %d", window.UnixNano())
	hamtest.Eventually(t, 5*time.Second, line, func() bool { return f.has(line) })
	if v := testutil.ToFloat64(w.m.clockHeld); v != 0 {
		t.Errorf("held_points = %v", v)
	}
}
