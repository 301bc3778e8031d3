package lights

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/schedule"
)

// evening is on 100 % at sunset+10m, 50 % at 23:00, off at sunrise-10m; on
// 1 Jan 2027 (a festival night) it stays on at 100 % until 01:00.
var evening = schedule.Programme{
	Steps: []schedule.Step{{At: "sunset+10m", On: true}, {At: "23:00", On: true, Brightness: 50}, {At: "sunrise-10m"}},
	Exceptions: []schedule.Exception{
		{Date: "2026-12-06", Off: true}, // a dark night: nothing switches on
	},
}

func withEvening(u *unit, ids ...string) {
	u.progs = fixedProgrammes{{ID: "p1", Programme: evening, Lights: ids}}
}

func lastSent(t *testing.T, u *unit, n int) []string {
	t.Helper()
	got := u.lamps.take()
	if len(got) != n {
		t.Fatalf("at %s: %d commands sent, want %d: %v", u.clock.Now().Format("Jan 2 15:04"), len(got), n, got)
	}
	return got
}

// TestProgrammeOverASimulatedDay walks a day and a night with an injected
// clock: the lights follow every step, once each, and the exception night
// stays dark.
func TestProgrammeOverASimulatedDay(t *testing.T) {
	if err := evening.Validate(hanoi); err != nil {
		t.Fatal(err)
	}
	u := newUnit(t, "den-01", "den-02")
	withEvening(u, "den-01", "den-02")
	u.at(0, 12, 0) // midday: off (the lamps already are, but desired is now known)
	u.want("den-01", "off")
	lastSent(t, u, 2)
	u.at(0, 12, 30)
	lastSent(t, u, 0)
	u.at(0, 17, 0) // before sunset (about 17:16 in December)
	lastSent(t, u, 0)
	u.at(0, 17, 40)
	u.want("den-01", "on 100")
	for _, s := range lastSent(t, u, 2) {
		if !strings.Contains(s, `"on":true`) || !strings.Contains(s, `"brightness":100`) {
			t.Errorf("sent %s", s)
		}
	}
	u.at(0, 22, 59)
	lastSent(t, u, 0)
	u.at(0, 23, 0)
	u.want("den-02", "on 50")
	lastSent(t, u, 2)
	u.at(1, 3, 0)
	lastSent(t, u, 0)
	u.at(1, 6, 30) // sunrise about 06:30: off since 06:20
	u.want("den-01", "off")
	lastSent(t, u, 2)
	u.at(2, 19, 0) // 6 Dec: the exception night, nothing switches on
	u.want("den-01", "off")
	lastSent(t, u, 0)
	u.at(3, 19, 0) // 7 Dec: back to normal
	u.want("den-01", "on 100")
}

// TestRestartMidNightReasserts: a new service (as after a restart at 01:00)
// works out what must be true now, not only what fires next.
func TestRestartMidNightReasserts(t *testing.T) {
	u := newUnit(t, "den-01")
	withEvening(u, "den-01")
	u.at(0, 23, 30)
	u.want("den-01", "on 50")
	u.lamps.take()
	// The daemon stops; in the night the lamp goes dark (power cut).
	u.reg.Observe(devices.Address{Protocol: devices.Native, Key: "den-01"},
		devices.Report{Light: &devices.LightState{On: devices.Bool(false)}}, false, u.clock.Now())
	u.restart()
	u.want("den-01", "on 50") // loaded from the store
	u.at(1, 1, 0)
	// The programme's desired state is unchanged; the reconciler sends it.
	if !u.svc.reconcileOne(context.Background(), "den-01") {
		t.Fatal("the dark lamp was not sent its desired state")
	}
	if st, _ := u.reg.Get("den-01"); !*st.Reported.Light.On || *st.Reported.Light.Brightness != 50 {
		t.Fatalf("lamp after re-assert: %+v", st.Reported.Light)
	}

	// A restart with an empty store (first start mid-night) also re-asserts.
	u2 := newUnit(t, "den-09")
	withEvening(u2, "den-09")
	u2.at(1, 2, 0)
	u2.want("den-09", "on 50")
	lastSent(t, u2, 1)
}

// TestOverridesExpire: a manual command holds until the programme's next
// step (default) or for its duration, then the programme takes over by
// itself; "none" sends without holding.
func TestOverridesExpire(t *testing.T) {
	u := newUnit(t, "den-01", "den-02")
	withEvening(u, "den-01", "den-02")
	u.at(0, 18, 0)
	u.want("den-01", "on 100")
	u.lamps.take()
	an := accounts.User{Name: "an", Role: accounts.RoleOperator}
	cmd := func(hold string, on bool, ids ...string) {
		t.Helper()
		var ds []devices.Device
		for _, id := range ids {
			st, _ := u.reg.Get(id)
			ds = append(ds, st.Device)
		}
		if _, err := u.svc.Command(context.Background(), CommandRequest{Target: devices.Target{Devices: ids},
			Set: &LightSet{On: devices.Bool(on)}, Hold: hold, Devices: ds}, an); err != nil {
			t.Fatal(err)
		}
	}
	u.clock.Set(time.Date(2026, 12, 4, 19, 30, 0, 0, hanoi.Loc))
	cmd("", false, "den-01")   // until the next step (23:00)
	cmd("2h", false, "den-02") // until 21:30
	d, _ := u.svc.DesiredOf("den-01")
	if !d.Override || d.By != "an" || !d.Until.IsZero() {
		t.Fatalf("override = %+v", d)
	}
	u.at(0, 20, 0)
	u.want("den-01", "off")
	u.want("den-02", "off")
	u.at(0, 21, 30)
	u.want("den-01", "off")
	u.want("den-02", "on 100") // two hours passed
	u.at(0, 23, 0)
	u.want("den-01", "on 50") // the programme stepped
	u.want("den-02", "on 50")
	if d, _ := u.svc.DesiredOf("den-01"); d.Override || d.By != scheduleUser {
		t.Fatalf("after the step: %+v", d)
	}
	u.lamps.take()
	cmd("none", false, "den-01") // sent, not held
	if got := u.lamps.take(); len(got) != 1 || !strings.Contains(got[0], `"on":false`) {
		t.Fatalf("hold none sent %v", got)
	}
	u.want("den-01", "on 50")
}

// TestClearOverrideReturnsToProgramme: clearing an override gives the light
// its programme's setting at once, and is a no-op without one.
func TestClearOverrideReturnsToProgramme(t *testing.T) {
	u := newUnit(t, "den-01", "den-02")
	withEvening(u, "den-01", "den-02")
	u.at(0, 18, 0)
	u.want("den-01", "on 100")
	u.lamps.take()
	st, _ := u.reg.Get("den-01")
	an := accounts.User{Name: "an", Role: accounts.RoleOperator}
	if _, err := u.svc.Command(context.Background(), CommandRequest{Target: devices.Target{Devices: []string{"den-01"}},
		Set: &LightSet{On: devices.Bool(false)}, Hold: "2h", Devices: []devices.Device{st.Device}}, an); err != nil {
		t.Fatal(err)
	}
	u.want("den-01", "off")
	if s, _ := u.svc.LightStatus("den-01"); s.Override == nil {
		t.Fatal("no override after the command")
	}
	u.lamps.take()
	u.clock.Set(time.Date(2026, 12, 4, 19, 0, 0, 0, hanoi.Loc))
	s, err := u.svc.ClearOverride(context.Background(), "den-01")
	if err != nil {
		t.Fatal(err)
	}
	if s.Override != nil {
		t.Fatalf("override still shown: %+v", s.Override)
	}
	u.want("den-01", "on 100")
	if d, _ := u.svc.DesiredOf("den-01"); d.Override || d.By != scheduleUser {
		t.Fatalf("after clearing: %+v", d)
	}
	// (The lamp is sent the state by Tick, or by the reconciler while the
	// manual command still waits for its late result.)
	u.lamps.take()
	// Nothing to clear: nothing changes, nothing is sent.
	if _, err := u.svc.ClearOverride(context.Background(), "den-02"); err != nil {
		t.Fatal(err)
	}
	lastSent(t, u, 0)
	if _, err := u.svc.ClearOverride(context.Background(), "nope"); !errors.Is(err, devices.ErrNotFound) {
		t.Fatalf("unknown light: %v", err)
	}
	// The cleared state was saved.
	u.restart()
	if d, _ := u.svc.DesiredOf("den-01"); d.Override {
		t.Fatalf("override back after restart: %+v", d)
	}
}

// TestTonight: the steps of tonight's run at their actual times, the same
// run after midnight, and none on an exception night.
func TestTonight(t *testing.T) {
	u := newUnit(t, "den-01", "den-02", "den-03")
	withEvening(u, "den-01", "den-02")
	u.at(0, 12, 0)
	runs := u.svc.Tonight([]string{"den-01", "den-02", "den-03"}, u.clock.Now())
	if len(runs) != 1 || runs[0].Programme != "p1" || len(runs[0].Lights) != 2 || runs[0].Date != "2026-12-04" {
		t.Fatalf("runs = %+v", runs)
	}
	st := runs[0].Steps
	if len(st) != 3 || st[0].At != "sunset+10m" || !st[0].On || st[0].Brightness != 100 ||
		st[1].Time.Format("15:04") != "23:00" || st[1].Brightness != 50 || st[2].On {
		t.Fatalf("steps = %+v", st)
	}
	if h := st[0].Time.In(hanoi.Loc); h.Hour() != 17 || h.Day() != 4 {
		t.Errorf("sunset+10m at %s", h)
	}
	if h := st[2].Time.In(hanoi.Loc); h.Day() != 5 || h.Hour() != 6 {
		t.Errorf("sunrise-10m at %s", h)
	}
	// At 03:00 on the 5th, the night in progress is still the 4th's.
	if runs := u.svc.Tonight([]string{"den-01"}, time.Date(2026, 12, 5, 3, 0, 0, 0, hanoi.Loc)); runs[0].Date != "2026-12-04" {
		t.Errorf("after midnight: %+v", runs)
	}
	// 6 Dec is an exception night: the programme does not run.
	if runs := u.svc.Tonight([]string{"den-01"}, time.Date(2026, 12, 6, 15, 0, 0, 0, hanoi.Loc)); len(runs[0].Steps) != 0 {
		t.Errorf("exception night: %+v", runs)
	}
}
