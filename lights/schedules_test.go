package lights

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/schedule"
)

type fakeSchedules []schedule.LightSchedule

func (f fakeSchedules) Lights(context.Context) ([]schedule.LightSchedule, error) { return f, nil }

// TestProgrammesFromSchedules: a zone programme runs the zone's lights, a
// per-light programme wins for its light, unknown ids are left out.
func TestProgrammesFromSchedules(t *testing.T) {
	u := newUnit(t, "den-01", "den-02")
	other := schedule.Programme{Steps: []schedule.Step{{At: "18:00", On: true, Brightness: 30}, {At: "05:00"}}}
	src := FromSchedules{Registry: u.reg, Schedules: fakeSchedules{
		{Schedule: schedule.Schedule{ID: "sch-zone", Targets: devices.Target{Zones: []string{"ngo-1"}}}, Programme: evening},
		{Schedule: schedule.Schedule{ID: "sch-one", Targets: devices.Target{Devices: []string{"den-02", "den-99"}}}, Programme: other},
	}}
	ps, err := src.LightProgrammes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || !slices.Equal(ps[0].Lights, []string{"den-01", "den-02"}) || !slices.Equal(ps[1].Lights, []string{"den-02"}) || !ps[1].PerLight {
		t.Fatalf("programmes %+v", ps)
	}
	u.svc.opts.Programmes = src
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
