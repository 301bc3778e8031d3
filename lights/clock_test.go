package lights

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/testutil"
	"github.com/hamlet-vn/hamlet/store"
)

// TestProgrammesHoldWhileTheClockIsImplausible: a box that booted without NTP
// switches nothing by its programmes until its clock is plausible, then
// applies what must be true now.
func TestProgrammesHoldWhileTheClockIsImplausible(t *testing.T) {
	u := newUnit(t, "den-01", "den-02")
	withEvening(u, "den-01", "den-02")
	u.clock.Set(time.Date(2026, 12, 4, 19, 0, 0, 0, hanoi.Loc)) // evening: the programme says on
	var ok atomic.Bool
	u.svc.opts.ClockOK = ok.Load
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { u.svc.runProgrammes(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	time.Sleep(1500 * time.Millisecond) // the loop looks at least once
	if got := u.lamps.take(); len(got) != 0 {
		t.Fatalf("commands sent while the clock is implausible: %v", got)
	}
	ok.Store(true)
	var sent []string
	testutil.Eventually(t, 5*time.Second, "the programme to run once the clock is plausible", func() bool {
		sent = append(sent, u.lamps.take()...)
		return len(sent) == 2
	})
	u.want("den-01", "on 100")
}

// TestBurningHoursAreNotBookedFromAWrongClock: a box that booted in 1970
// books no burning time until its clock is right, and NTP stepping the clock
// by decades books nothing for the decades in between.
func TestBurningHoursAreNotBookedFromAWrongClock(t *testing.T) {
	u := newUnit(t, "den-01")
	db, err := store.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u.svc.opts.Burns = DBStore{DB: db}
	var ok atomic.Bool
	u.svc.opts.ClockOK = ok.Load
	account := func() {
		st, _ := u.reg.Get("den-01")
		u.svc.mu.Lock()
		u.svc.accountLocked(st, u.clock.Now())
		u.svc.mu.Unlock()
	}
	u.clock.Set(time.Date(1970, 1, 1, 7, 0, 0, 0, hanoi.Loc))
	u.report("den-01", devices.Bool(true), map[string]float64{"power_w": 40})
	account()
	u.clock.Add(2 * time.Hour)
	account()
	u.svc.flushBurn(context.Background(), u.clock.Now())

	u.clock.Set(time.Date(2026, 12, 4, 18, 0, 0, 0, hanoi.Loc)) // NTP
	ok.Store(true)
	account()
	u.clock.Add(time.Hour)
	account()
	u.svc.flushBurn(context.Background(), u.clock.Now())
	days, err := DBStore{DB: db}.Burns(context.Background(), "1970-01-01", "2026-12-31")
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != 1 || days[0].Day != "2026-12-04" || days[0].OnSeconds != 3600 {
		t.Fatalf("burn days %+v, want one hour on 2026-12-04", days)
	}
}
