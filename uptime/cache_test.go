package uptime

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

func TestPackUnpack(t *testing.T) {
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	in := []Transition{
		{At: start, State: devices.Unknown, Cause: devices.CauseDaemonStart},
		{At: start.Add(time.Nanosecond), State: devices.Online, Cause: devices.CauseActivity},
		{At: start.Add(72 * time.Hour), State: devices.Offline, Cause: "weird-cause"},
		{At: start.Add(72 * time.Hour), State: "sleeping", Cause: devices.CauseLWT},
	}
	var out []Transition
	if err := unpack(pack(nil, start, in), start, func(t Transition) error { out = append(out, t); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("unpack(pack) = %+v, want %+v", out, in)
	}
}

func TestMonths(t *testing.T) {
	d := func(m, day int) time.Time { return time.Date(2026, time.Month(m), day, 0, 0, 0, 0, time.UTC) }
	head, whole, tail := months(d(1, 15), d(5, 10), d(4, 20))
	if head != (Interval{d(1, 15), d(2, 1)}) || len(whole) != 2 || !whole[0].Equal(d(2, 1)) || !whole[1].Equal(d(3, 1)) ||
		tail != (Interval{d(4, 1), d(5, 10)}) {
		t.Errorf("months = %v %v %v", head, whole, tail)
	}
	// Nothing closed: all head.
	if head, whole, _ := months(d(4, 1), d(4, 20), d(4, 20)); len(whole) != 0 || head != (Interval{d(4, 1), d(4, 20)}) {
		t.Errorf("months within one open month = %v %v", head, whole)
	}
}

// A report through the month cache, cold and warm, equals one without it.
func TestMonthCacheGivesTheSameReport(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
	db := openStore(t, c)
	run, _ := db.StartRun(ctx, "test")
	rng := rand.New(rand.NewPCG(1, 2))
	for _, d := range fleet {
		at := c.t
		up := false
		for at.Before(time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC)) {
			at = at.Add(time.Duration(rng.IntN(72*60)) * time.Minute)
			up = !up
			a := devices.Offline
			if up {
				a = devices.Online
			}
			recordT(t, db, d.ID, a, devices.CauseLWT, at)
		}
	}
	c.t = time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC)
	db.Heartbeat(ctx, run)
	q := Query{From: time.Date(2026, 6, 20, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 10, 10, 0, 0, 0, 0, time.UTC), Daily: true}
	plain, err := New(Options{Store: db, Now: c.Now, Devices: func() []Device { return fleet }, CacheBytes: -1}).Uptime(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	s := New(Options{Store: db, Now: c.Now, Devices: func() []Device { return fleet }})
	for _, round := range []string{"cold", "warm"} {
		got, err := s.Uptime(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, plain) {
			t.Errorf("%s cache: report differs:\n%+v\nwant\n%+v", round, got.Total, plain.Total)
		}
	}
	if s.CacheBytes() == 0 {
		t.Error("the closed months were not cached")
	}
}
