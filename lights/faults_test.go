package lights

import (
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

func (u *unit) report(id string, on *bool, metrics map[string]float64) {
	var l *devices.LightState
	if on != nil {
		l = &devices.LightState{On: on}
	}
	u.reg.Observe(devices.Address{Protocol: devices.Native, Key: id},
		devices.Report{Light: l, Metrics: metrics}, false, u.clock.Now())
}

// faultsAt checks faults at the given offset from t0 and returns the events.
func (u *unit) faultsAt(t0 time.Time, after time.Duration) []FaultEvent {
	var evs []FaultEvent
	u.svc.opts.Faults = func(ev FaultEvent) { evs = append(evs, ev) }
	u.clock.Set(t0.Add(after))
	u.svc.CheckFaults(u.clock.Now())
	return evs
}

// TestFaultsRaiseAndClear: a dark lamp, a day-burning lamp and a lamp on
// without power each raise a fault after fault_after, shown on the light,
// and clear it when the condition ends.
func TestFaultsRaiseAndClear(t *testing.T) {
	u := newUnit(t, "den-01", "den-02", "den-03")
	withEvening(u, "den-01", "den-02", "den-03")
	u.at(0, 12, 0) // midday: the programme says off
	u.lamps.dead["den-01"] = true
	u.command(LightSet{On: devices.Bool(true)}, "den-01") // held on, but the lamp stays dark
	u.report("den-02", devices.Bool(true), nil)           // burning by day
	u.report("den-03", nil, map[string]float64{"power_w": 0.2})
	t0 := u.clock.Now()
	if evs := u.faultsAt(t0, 0); len(evs) != 0 {
		t.Fatalf("faults at once: %+v", evs)
	}
	if evs := u.faultsAt(t0, time.Minute); len(evs) != 0 {
		t.Fatalf("faults before fault_after: %+v", evs)
	}
	evs := u.faultsAt(t0, 2*time.Minute)
	got := map[string]string{}
	for _, ev := range evs {
		if !ev.Active || !ev.Since.Equal(t0) {
			t.Errorf("event %+v", ev)
		}
		got[ev.Device] = ev.Fault
	}
	if got["den-01"] != FaultDark || got["den-02"] != FaultDayBurning || len(got) != 2 {
		t.Fatalf("raised %v", got)
	}
	if fs := u.svc.FaultsOf("den-02"); len(fs) != 1 || fs[0].Fault != FaultDayBurning {
		t.Fatalf("FaultsOf = %+v", fs)
	}
	// den-03 is switched on and draws nothing.
	u.report("den-03", devices.Bool(true), map[string]float64{"power_w": 0})
	u.faultsAt(t0, 3*time.Minute)
	// (By day it is also burning when it should not.)
	if evs := u.faultsAt(t0, 5*time.Minute); len(evs) != 2 || evs[0].Fault != FaultDayBurning || evs[1].Fault != FaultNoPower {
		t.Fatalf("no power: %+v", evs)
	}
	// The conditions end: den-01 lights, den-02 and den-03 go off.
	u.report("den-01", devices.Bool(true), nil)
	u.report("den-02", devices.Bool(false), nil)
	u.report("den-03", devices.Bool(false), map[string]float64{"power_w": 0})
	evs = u.faultsAt(t0, 6*time.Minute)
	if len(evs) != 4 {
		t.Fatalf("cleared %+v", evs)
	}
	for _, ev := range evs {
		if ev.Active {
			t.Errorf("not cleared: %+v", ev)
		}
	}
	if fs := u.svc.FaultsOf("den-02"); len(fs) != 0 {
		t.Fatalf("FaultsOf after clearing = %+v", fs)
	}
}
