package uptime

import (
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

var base = time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)

// m is base plus n minutes.
func m(n int) time.Time { return base.Add(time.Duration(n) * time.Minute) }

func on(n int) Transition {
	return Transition{At: m(n), State: devices.Online, Cause: devices.CauseActivity}
}
func off(n int, c devices.Cause) Transition {
	return Transition{At: m(n), State: devices.Offline, Cause: c}
}
func unk(n int) Transition {
	return Transition{At: m(n), State: devices.Unknown, Cause: devices.CauseDaemonStart}
}
func iv(a, b int) Interval { return Interval{m(a), m(b)} }

type want struct {
	up, down, unknown, maint float64 // minutes
	pct                      *float64
	outages                  []Outage // only Start, End (nil = ongoing), Cause, clipped flags checked
}

func TestBuilderCases(t *testing.T) {
	cam := Device{Area: "khu10", ID: "cam-1", Kind: devices.Camera, Zone: "ngo-3"}
	end := func(n int) *time.Time { x := m(n); return &x }
	cases := []struct {
		name      string
		from, to  int
		unwatched []Interval
		maint     []Interval
		ongoing   bool
		ts        []Transition
		want      want
	}{
		{name: "up all along", from: 0, to: 60, ts: []Transition{on(-10)},
			want: want{up: 60, pct: ptr(100.0)}},
		{name: "no transitions at all is unknown, uptime null", from: 0, to: 60,
			want: want{unknown: 60}},
		{name: "outage spanning both edges", from: 0, to: 60, ts: []Transition{off(-30, devices.CauseLWT), on(90)},
			want: want{down: 60, pct: ptr(0.0), outages: []Outage{{Start: m(0), End: end(60), Cause: devices.CauseLWT, StartClipped: true, EndClipped: true}}}},
		{name: "outage still open at now is ongoing", from: 0, to: 60, ongoing: true, ts: []Transition{on(-5), off(45, devices.CauseTimeout)},
			want: want{up: 45, down: 15, pct: ptr(75.0), outages: []Outage{{Start: m(45), Cause: devices.CauseTimeout}}}},
		{name: "device added mid-period is unknown before its first report", from: 0, to: 60, ts: []Transition{on(20), off(50, devices.CauseFrigate)},
			want: want{unknown: 20, up: 30, down: 10, pct: ptr(75.0), outages: []Outage{{Start: m(50), End: end(60), Cause: devices.CauseFrigate, EndClipped: true}}}},
		{name: "overlapping maintenance is counted once and splits the outage", from: 0, to: 100,
			maint: []Interval{iv(20, 40), iv(30, 50), iv(45, 55)},
			ts:    []Transition{on(-1), off(10, devices.CauseLWT), on(70)},
			want: want{up: 40, down: 25, maint: 35, pct: ptr(61.538), outages: []Outage{
				{Start: m(10), End: end(20), Cause: devices.CauseLWT}, {Start: m(55), End: end(70), Cause: devices.CauseLWT}}}},
		{name: "daemon gap is unknown, not down", from: 0, to: 100, unwatched: []Interval{iv(30, 50)},
			ts: []Transition{on(-1), off(20, devices.CauseLWT), unk(50), off(60, devices.CauseTimeout), on(80)},
			want: want{up: 40, down: 30, unknown: 30, pct: ptr(57.143), outages: []Outage{
				{Start: m(20), End: end(30), Cause: devices.CauseLWT}, {Start: m(60), End: end(80), Cause: devices.CauseTimeout}}}},
		{name: "maintenance during a daemon gap counts as maintenance", from: 0, to: 60, unwatched: []Interval{iv(10, 40)},
			maint: []Interval{iv(20, 30)}, ts: []Transition{on(-1)},
			want: want{up: 30, unknown: 20, maint: 10, pct: ptr(100.0)}},
		{name: "maintenance beyond the edges is clipped", from: 0, to: 60, maint: []Interval{iv(-100, 10), iv(50, 500)},
			ts:   []Transition{off(-1, devices.CauseLWT)},
			want: want{down: 40, maint: 20, pct: ptr(0.0), outages: []Outage{{Start: m(10), End: end(50), Cause: devices.CauseLWT}}}},
		{name: "transitions out of order are taken as simultaneous", from: 0, to: 60, ts: []Transition{on(0), off(30, devices.CauseLWT), on(20)},
			want: want{up: 60, pct: ptr(100.0)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []Outage
			b := NewBuilder(Params{From: m(tc.from), To: m(tc.to), Unwatched: tc.unwatched, Ongoing: tc.ongoing,
				Outage: func(o Outage) error { got = append(got, o); return nil }})
			b.Begin(cam, tc.maint)
			for _, tr := range tc.ts {
				if err := b.Add(tr); err != nil {
					t.Fatal(err)
				}
			}
			if err := b.End(); err != nil {
				t.Fatal(err)
			}
			d := b.Report().Devices[0]
			checkMinutes(t, "up", d.Up, tc.want.up)
			checkMinutes(t, "down", d.Down, tc.want.down)
			checkMinutes(t, "unknown", d.Unknown, tc.want.unknown)
			checkMinutes(t, "maintenance", d.Maintenance, tc.want.maint)
			if d.Up+d.Down+d.Unknown+d.Maintenance != float64(tc.to-tc.from)*60 {
				t.Errorf("states sum to %vs, want the whole report", d.Up+d.Down+d.Unknown+d.Maintenance)
			}
			checkPct(t, d.UptimePct, tc.want.pct)
			if d.Outages != len(got) || len(got) != len(tc.want.outages) {
				t.Fatalf("outages = %d (%d handed out), want %d: %+v", d.Outages, len(got), len(tc.want.outages), got)
			}
			var sum float64
			for i, o := range got {
				w := tc.want.outages[i]
				sum += o.Duration
				if !o.Start.Equal(w.Start) || (o.End == nil) != (w.End == nil) || (o.End != nil && !o.End.Equal(*w.End)) ||
					o.Cause != w.Cause || o.StartClipped != w.StartClipped || o.EndClipped != w.EndClipped || o.Ongoing != (w.End == nil) {
					t.Errorf("outage %d = %+v, want %+v", i, o, w)
				}
			}
			if sum != d.Down {
				t.Errorf("outages last %vs, down %vs: they must agree", sum, d.Down)
			}
		})
	}
}

func checkMinutes(t *testing.T, what string, gotS, wantMin float64) {
	t.Helper()
	if gotS != wantMin*60 {
		t.Errorf("%s = %vmin, want %vmin", what, gotS/60, wantMin)
	}
}

func checkPct(t *testing.T, got, want *float64) {
	t.Helper()
	if (got == nil) != (want == nil) || (got != nil && *got != *want) {
		t.Errorf("uptime_pct = %v, want %v", deref(got), deref(want))
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
