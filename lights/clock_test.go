package lights

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/internal/testutil"
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
