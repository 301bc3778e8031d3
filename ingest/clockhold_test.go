package ingest

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/clockguard"
	hamtest "github.com/hamlet-vn/hamlet/internal/testutil"
)

var ntp = time.Date(2026, 12, 4, 19, 0, 0, 0, time.UTC)

// newBootTest is newTest on a box that booted in 1970, its clock guarded.
func newBootTest(t *testing.T, maxHeld int, decode func(string, []byte, bool) ([]devices.Report, error)) (*Pipeline, *fakeStore, *fakeSink, *hamtest.Clock, *clockguard.Guard) {
	c := hamtest.NewClock(time.Date(1970, 1, 1, 0, 0, 20, 0, time.UTC))
	g := clockguard.New(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), c.Now, c.Mono)
	reg := devices.NewRegistry([]devices.Device{
		{ID: "den-01", Kind: devices.Light, Zone: "ngo-3", Protocol: devices.Tasmota, Topic: "den_01"},
	}, map[devices.Kind]time.Duration{devices.Light: 10 * time.Minute}, c.Now())
	st, sink := &fakeStore{}, &fakeSink{}
	p := New(Options{Area: "khu10", Decoder: fakeDecoder{decode}, Registry: reg, Store: st, Sink: sink,
		Registerer: prometheus.NewRegistry(), Now: c.Now, Clock: g, MaxHeldTransitions: maxHeld})
	return p, st, sink, c, g
}

// lwt decodes the payload as the availability of den_01, with a device time
// a little before the 1970 clock (believable against it, but not checkable).
func lwt(_ string, payload []byte, _ bool) ([]devices.Report, error) {
	return []devices.Report{{Protocol: devices.Tasmota, Key: "den_01", Availability: devices.Availability(payload),
		Time: time.Date(1970, 1, 1, 0, 0, 1, 0, time.UTC), Metrics: map[string]float64{"power_w": 40}}}, nil
}

func stepNTP(t *testing.T, c *hamtest.Clock, g *clockguard.Guard) {
	t.Helper()
	c.Set(ntp)
	if ok, _ := g.Check(); !ok {
		t.Fatal("clock still implausible after NTP")
	}
}

func TestTransitionsAreHeldUntilTheClockIsPlausibleAndCorrected(t *testing.T) {
	p, st, sink, c, g := newBootTest(t, 0, lwt)
	p.Handle("tele/den_01/LWT", []byte("offline"), false, func() {}) // at 00:00:20 by the 1970 clock
	c.Add(10 * time.Second)
	p.Handle("tele/den_01/LWT", []byte("online"), false, func() {}) // 10s later
	if len(st.transitions) != 0 {
		t.Fatalf("transitions with 1970 times stored: %+v", st.transitions)
	}
	if v := testutil.ToFloat64(p.m.clockHeld); v != 2 {
		t.Errorf("held_transitions = %v, want 2", v)
	}
	// The device's own time is not believed while the clock cannot check it:
	// the point carries the receive time, which the writer corrects later.
	received := strconv.FormatInt(time.Date(1970, 1, 1, 0, 0, 20, 0, time.UTC).UnixNano(), 10)
	if !strings.HasSuffix(sink.lines[0], " "+received+"\n") {
		t.Errorf("telemetry line %q, want the receive time %s", sink.lines[0], received)
	}
	p.ReleaseHeld() // still 1970: nothing happens
	if len(st.transitions) != 0 {
		t.Fatal("released while the clock is implausible")
	}
	c.Add(30 * time.Second)
	stepNTP(t, c, g)
	p.ReleaseHeld()
	if len(st.transitions) != 2 {
		t.Fatalf("stored %+v, want 2 transitions", st.transitions)
	}
	for i, want := range []time.Time{ntp.Add(-40 * time.Second), ntp.Add(-30 * time.Second)} {
		if got := st.transitions[i].At; !got.Equal(want) {
			t.Errorf("transition %d at %s, want %s", i, got, want)
		}
	}
	if v := testutil.ToFloat64(p.m.clockHeld); v != 0 {
		t.Errorf("held_transitions = %v after release", v)
	}
	c.Add(time.Second)
	p.Handle("tele/den_01/LWT", []byte("offline"), false, func() {}) // live again
	if len(st.transitions) != 3 || !st.transitions[2].At.Equal(ntp.Add(time.Second)) {
		t.Errorf("live transition: %+v", st.transitions)
	}
}

func TestTransitionsBeyondTheHoldAreRecordedAsUnknown(t *testing.T) {
	p, st, _, c, g := newBootTest(t, 1, lwt)
	p.Handle("tele/den_01/LWT", []byte("offline"), false, func() {})
	c.Add(10 * time.Second)
	p.Handle("tele/den_01/LWT", []byte("online"), false, func() {}) // the hold is full
	c.Add(10 * time.Second)
	p.Handle("tele/den_01/LWT", []byte("offline"), false, func() {})
	if v := testutil.ToFloat64(p.m.clockLost); v != 2 {
		t.Errorf("unknown_transitions = %v, want 2", v)
	}
	c.Add(30 * time.Second)
	stepNTP(t, c, g)
	c.Add(time.Second) // NTP came a second before the guard's check
	p.ReleaseHeld()
	want := []struct {
		to    devices.Availability
		cause devices.Cause
		at    time.Time
	}{
		{devices.Offline, devices.CauseLWT, ntp.Add(-50 * time.Second)},
		{devices.Unknown, devices.CauseClock, ntp.Add(-40 * time.Second)}, // from the first transition not kept
		{devices.Offline, devices.CauseClock, ntp.Add(time.Second)},       // to now, in the state now known
	}
	if len(st.transitions) != len(want) {
		t.Fatalf("stored %+v, want %d", st.transitions, len(want))
	}
	for i, w := range want {
		got := st.transitions[i]
		if got.To != w.to || got.Cause != w.cause || !got.At.Equal(w.at) {
			t.Errorf("transition %d = %s %s at %s, want %s %s at %s", i, got.To, got.Cause, got.At, w.to, w.cause, w.at)
		}
	}
}

func TestStoppingBeforeTheClockIsPlausibleRecordsNothing(t *testing.T) {
	p, st, _, c, _ := newBootTest(t, 0, lwt)
	p.Handle("tele/den_01/LWT", []byte("offline"), false, func() {})
	c.Add(10 * time.Second)
	p.Record([]devices.Transition{{Device: devices.Device{ID: "den-01"}, From: devices.Offline, To: devices.Unknown,
		Cause: devices.CauseLinkDown, At: c.Now()}})
	p.DropHeld()
	if len(st.transitions) != 0 {
		t.Errorf("stored %+v", st.transitions)
	}
	if v := testutil.ToFloat64(p.m.clockLost); v != 2 {
		t.Errorf("unknown_transitions = %v, want 2", v)
	}
	if v := testutil.ToFloat64(p.m.clockHeld); v != 0 {
		t.Errorf("held_transitions = %v", v)
	}
}
