package lights

import (
	"context"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/store"
)

// TestBurningHoursAndEnergy: a 40 W lamp on from 18:00 to 06:00 burns six
// hours and 0.24 kWh on each of the two days; a lamp with an energy
// counter is charged the counter's steps.
func TestBurningHoursAndEnergy(t *testing.T) {
	u := newUnit(t, "den-01", "den-02")
	db, err := store.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u.svc.opts.Burns = DBStore{DB: db}
	step := func(day, hh int, id string, on bool, metrics map[string]float64) {
		u.clock.Set(time.Date(2026, 12, 4+day, hh, 0, 0, 0, hanoi.Loc))
		u.report(id, devices.Bool(on), metrics)
		st, _ := u.reg.Get(id)
		u.svc.mu.Lock()
		u.svc.accountLocked(st, u.clock.Now())
		u.svc.mu.Unlock()
	}
	step(0, 18, "den-01", true, map[string]float64{"power_w": 40})
	step(0, 18, "den-02", true, map[string]float64{"energy_kwh": 100})
	step(0, 22, "den-02", true, map[string]float64{"energy_kwh": 100.5})
	u.svc.flushBurn(context.Background(), u.clock.Now()) // a flush in the middle changes nothing
	step(1, 6, "den-01", false, nil)
	step(1, 6, "den-02", false, map[string]float64{"energy_kwh": 101.3})
	u.clock.Set(time.Date(2026, 12, 5, 12, 0, 0, 0, hanoi.Loc))
	rep, err := u.svc.Report(context.Background(), ReportRequest{From: "2026-12-04", To: "2026-12-05"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Lights) != 2 || len(rep.Zones) != 1 {
		t.Fatalf("report %+v", rep)
	}
	l := rep.Lights[0]
	if l.ID != "den-01" || l.HoursOn != 12 || l.EnergyKWh != 0.48 || len(l.Days) != 2 ||
		l.Days[0] != (DayReport{Date: "2026-12-04", HoursOn: 6, EnergyKWh: 0.24}) ||
		l.Days[1] != (DayReport{Date: "2026-12-05", HoursOn: 6, EnergyKWh: 0.24}) {
		t.Fatalf("den-01: %+v", l)
	}
	if l := rep.Lights[1]; l.HoursOn != 12 || l.EnergyKWh != 1.3 {
		t.Fatalf("den-02: %+v", l)
	}
	if z := rep.Zones[0]; z.Zone != "ngo-1" || z.Lights != 2 || z.HoursOn != 24 || z.EnergyKWh != 1.78 {
		t.Fatalf("zone: %+v", z)
	}
	for _, bad := range []ReportRequest{{From: "4/12", To: "2026-12-05"}, {From: "2026-12-05", To: "2026-12-04"}} {
		if _, err := u.svc.Report(context.Background(), bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}
