package lights

import (
	"context"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/schedule"
)

// TestPerLightProgrammeWins: a zone programme runs the zone's lights, a
// per-light programme wins for its light.
func TestPerLightProgrammeWins(t *testing.T) {
	u := newUnit(t, "den-01", "den-02")
	other := schedule.Programme{Steps: []schedule.Step{{At: "18:00", On: true, Brightness: 30}, {At: "05:00"}}}
	u.progs = fixedProgrammes{
		{ID: "sch-one", Programme: other, Lights: []string{"den-02"}, PerLight: true},
		{ID: "sch-zone", Programme: evening, Lights: []string{"den-01", "den-02"}},
	}
	u.at(0, 19, 0)
	u.want("den-01", "on 100") // the zone's programme
	u.want("den-02", "on 30")  // its own programme
}

// TestReconcileIsRateLimited: lamps that come back at once are sent their
// desired state at most ReconcileRate a second, each once.
func TestReconcileIsRateLimited(t *testing.T) {
	ids := []string{}
	for i := range 21 {
		ids = append(ids, "den-"+itoa(10+i))
	}
	u := newUnit(t, ids...)
	for _, id := range ids {
		u.svc.desired[id] = Desired{Light: id, On: true}
	}
	u.svc.opts.ReconcileRate = 100
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rec := newReconciler(u.svc)
	done := make(chan struct{})
	go func() { defer close(done); rec.run(ctx) }()
	start := time.Now()
	u.svc.kick <- ""
	for _, id := range ids { // a burst of returns coalesces with the full pass
		rec.queue(id)
	}
	for len(u.lamps.sentSnapshot()) < len(ids) {
		if time.Since(start) > 5*time.Second {
			t.Fatalf("only %d of %d lamps sent", len(u.lamps.sentSnapshot()), len(ids))
		}
		time.Sleep(5 * time.Millisecond)
	}
	if took := time.Since(start); took < 190*time.Millisecond {
		t.Fatalf("21 lamps at 100/s were sent in %v", took)
	}
	cancel()
	<-done
	if n := len(u.lamps.take()); n != len(ids) {
		t.Fatalf("%d commands for %d lamps", n, len(ids))
	}
}
