package lights

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	promtest "github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/devices"
)

func (u *unit) command(set LightSet, ids ...string) CommandResult {
	u.t.Helper()
	var ds []devices.Device
	for _, id := range ids {
		st, _ := u.reg.Get(id)
		ds = append(ds, st.Device)
	}
	res, err := u.svc.Command(context.Background(), CommandRequest{Target: devices.Target{Devices: ids}, Set: &set,
		Devices: ds}, accounts.User{Name: "an", Role: accounts.RoleOperator})
	if err != nil {
		u.t.Fatal(err)
	}
	return res
}

// TestRejectedTimeoutAndLateEvents: a lamp that never answers is pending
// in the response and times out later as an event; a refusal in the
// lamp's ack rejects the command with the lamp's reason.
func TestRejectedTimeoutAndLateEvents(t *testing.T) {
	u := newUnit(t, "den-01", "den-02", "den-03")
	var mu sync.Mutex
	var events []CommandEvent
	u.svc.opts.Events = func(ev CommandEvent) { mu.Lock(); events = append(events, ev); mu.Unlock() }
	u.lamps.dead["den-02"] = true
	u.lamps.dead["den-03"] = true
	res := u.command(LightSet{On: devices.Bool(true)}, "den-01", "den-02", "den-03")
	got := map[string]string{}
	for _, r := range res.Results {
		got[r.Device] = r.Status
	}
	// den-01 answered at once but nothing runs the registry subscription
	// here: every lamp is pending when the confirm timeout passes.
	if got["den-02"] != StatusPending || got["den-03"] != StatusPending {
		t.Fatalf("statuses %v", got)
	}
	st, _ := u.reg.Get("den-01")
	u.svc.confirm(st)
	u.svc.Ack(devices.Device{ID: "den-03"}, devices.Ack{ID: res.ID, OK: false, Error: "relay stuck"})
	u.svc.expire(u.clock.Now().Add(time.Hour))
	mu.Lock()
	defer mu.Unlock()
	late := map[string]CommandEvent{}
	for _, ev := range events {
		late[ev.Device] = ev
	}
	if late["den-01"].Status != StatusConfirmed || late["den-02"].Status != StatusTimeout ||
		late["den-03"].Status != StatusRejected || late["den-03"].Error == "" || late["den-03"].ID != res.ID {
		t.Fatalf("late events %+v", events)
	}
	if len(u.svc.waiting) != 0 {
		t.Fatalf("waiters left: %v", u.svc.waiting)
	}
}

// TestUnacknowledgedCommandIsCounted: a command the broker never
// acknowledges is counted as a publish error when its wait ends and the lamp
// stays pending; the command's other lamp is sent and counted.
func TestUnacknowledgedCommandIsCounted(t *testing.T) {
	u := newUnit(t, "den-01", "den-02")
	u.lamps.unacked = map[string]bool{"den-01": true}
	u.svc.opts.PublishTimeout = 50 * time.Millisecond
	done := make(chan CommandResult, 1)
	go func() { done <- u.command(LightSet{On: devices.Bool(true)}, "den-01", "den-02") }()
	var res CommandResult
	select {
	case res = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the command did not end after the publish timeout")
	}
	got := map[string]string{}
	for _, r := range res.Results {
		got[r.Device] = r.Status
	}
	if got["den-01"] != StatusPending {
		t.Errorf("unacknowledged den-01 is %q, want pending", got["den-01"])
	}
	if n := promtest.ToFloat64(u.svc.m.publishErrors); n != 1 {
		t.Errorf("publish errors %v, want 1", n)
	}
	if n := promtest.ToFloat64(u.svc.m.sent); n != 1 {
		t.Errorf("sent %v, want 1 (den-02)", n)
	}
}

// TestOfflineIsNotSent: an offline lamp is answered offline at once, gets
// nothing, and keeps the desired state.
func TestOfflineIsNotSent(t *testing.T) {
	u := newUnit(t, "den-01")
	u.reg.Observe(devices.Address{Protocol: devices.Native, Key: "den-01"},
		devices.Report{Availability: devices.Offline}, false, u.clock.Now())
	res := u.command(LightSet{Brightness: devices.Int(30)}, "den-01")
	if res.Results[0].Status != StatusOffline || res.Results[0].Error == "" {
		t.Fatalf("result %+v", res.Results)
	}
	if sent := u.lamps.take(); len(sent) != 0 {
		t.Fatalf("sent to an offline lamp: %v", sent)
	}
	u.want("den-01", "on 30")
}

// TestResultsSentLiveAreMarked: a result decided while the command waits
// goes to Events at once and is marked Sent in the response; an offline
// lamp's, known from the start, is not.
func TestResultsSentLiveAreMarked(t *testing.T) {
	u := newUnit(t, "den-01", "den-02")
	var events []CommandEvent
	u.svc.opts.Events = func(ev CommandEvent) { events = append(events, ev) }
	u.reg.Observe(devices.Address{Protocol: devices.Native, Key: "den-02"},
		devices.Report{Availability: devices.Offline}, false, u.clock.Now())
	res := u.command(LightSet{On: devices.Bool(false)}, "den-01", "den-02") // den-01 is off already
	if r := res.Results[0]; r.Status != StatusConfirmed || !r.Sent {
		t.Errorf("den-01: %+v, want confirmed and sent", r)
	}
	if r := res.Results[1]; r.Status != StatusOffline || r.Sent {
		t.Errorf("den-02: %+v, want offline and not sent", r)
	}
	if len(events) != 1 || events[0].Device != "den-01" {
		t.Errorf("events %+v, want den-01's alone", events)
	}
}

// TestBadRequests: the service checks its input itself too.
func TestBadRequests(t *testing.T) {
	u := newUnit(t, "den-01")
	st, _ := u.reg.Get("den-01")
	for name, req := range map[string]CommandRequest{
		"brightness": {Target: devices.Target{All: true}, Set: &LightSet{Brightness: devices.Int(101)}},
		"empty set":  {Target: devices.Target{All: true}, Set: &LightSet{}},
		"bad hold":   {Target: devices.Target{All: true}, Set: &LightSet{On: devices.Bool(true)}, Hold: "forever"},
		"bad id":     {ID: "a b", Target: devices.Target{All: true}, Set: &LightSet{On: devices.Bool(true)}},
		"no target":  {Set: &LightSet{On: devices.Bool(true)}},
		"no lights":  {Target: devices.Target{All: true}, Set: &LightSet{On: devices.Bool(true)}},
	} {
		if name != "no lights" {
			req.Devices = []devices.Device{st.Device}
		}
		_, err := u.svc.Command(context.Background(), req, accounts.User{Name: "an"})
		var fe *devices.FieldError
		if !errors.As(err, &fe) || !errors.Is(err, devices.ErrInvalid) {
			t.Errorf("%s: err %v, want a field error", name, err)
		}
	}
	if sent := u.lamps.take(); len(sent) != 0 {
		t.Fatalf("bad requests reached lamps: %v", sent)
	}
}

// TestCannotDimAfterGrace: a lamp that reports on before its brightness is
// confirmed when the brightness follows; one that never reports a
// brightness is rejected as unable to dim, and asked only on/off after.
func TestCannotDimAfterGrace(t *testing.T) {
	u := newUnit(t, "den-01", "den-02")
	u.lamps.dead["den-01"], u.lamps.dead["den-02"] = true, true
	var events []CommandEvent
	u.svc.opts.Events = func(ev CommandEvent) { events = append(events, ev) }
	u.command(LightSet{On: devices.Bool(true), Brightness: devices.Int(40)}, "den-01", "den-02")
	t0 := u.clock.Now()
	for _, id := range []string{"den-01", "den-02"} {
		u.report(id, devices.Bool(true), nil) // POWER first, no brightness yet
		st, _ := u.reg.Get(id)
		u.svc.confirm(st)
	}
	u.svc.expire(t0.Add(100 * time.Millisecond))
	if len(events) != 0 {
		t.Fatalf("decided within the grace: %+v", events)
	}
	u.reg.Observe(devices.Address{Protocol: devices.Native, Key: "den-01"},
		devices.Report{Light: &devices.LightState{Brightness: devices.Int(40)}}, false, t0)
	st, _ := u.reg.Get("den-01")
	u.svc.confirm(st)
	u.svc.expire(t0.Add(time.Second))
	got := map[string]string{}
	for _, ev := range events {
		got[ev.Device] = ev.Status
	}
	if got["den-01"] != StatusConfirmed || got["den-02"] != StatusRejected {
		t.Fatalf("events %+v", events)
	}
	if d, _ := u.svc.DesiredOf("den-02"); d.Brightness != nil {
		t.Fatalf("desired brightness kept for a lamp that cannot dim: %+v", d)
	}
}

// TestSwitchingARelayWithADesiredBrightnessIsConfirmed: "on" alone, to a
// lamp whose desired state carries a brightness (a programme's 50 %) but
// that cannot dim, is confirmed once it switched: it did what was asked.
// Its desired brightness is dropped: it is asked only on/off from then on.
func TestSwitchingARelayWithADesiredBrightnessIsConfirmed(t *testing.T) {
	u := newUnit(t, "tu-01")
	u.lamps.dead["tu-01"] = true // answers by hand below, without a brightness
	u.svc.mu.Lock()
	u.svc.putDesiredLocked(context.Background(), Desired{Light: "tu-01", On: false, Brightness: devices.Int(50), By: "schedule", At: u.clock.Now()})
	u.svc.mu.Unlock()
	var events []CommandEvent
	u.svc.opts.Events = func(ev CommandEvent) { events = append(events, ev) }
	u.command(LightSet{On: devices.Bool(true)}, "tu-01")
	t0 := u.clock.Now()
	u.report("tu-01", devices.Bool(true), nil)
	st, _ := u.reg.Get("tu-01")
	u.svc.confirm(st)
	u.svc.expire(t0.Add(time.Second))
	if len(events) != 1 || events[0].Status != StatusConfirmed {
		t.Fatalf("events %+v, want tu-01 confirmed", events)
	}
	if d, _ := u.svc.DesiredOf("tu-01"); d.Brightness != nil || !d.On {
		t.Fatalf("desired %+v, want on without a brightness", d)
	}
}

// TestBrightnessTheLampHasIsNotSent: switching on a lamp that already
// reports the brightness wanted sends on alone (a Tasmota lamp: POWER, not
// Dimmer and POWER); a different brightness is sent; the confirmation still
// checks the brightness.
func TestBrightnessTheLampHasIsNotSent(t *testing.T) {
	u := newUnit(t, "den-01")
	command := func(set LightSet) []string {
		t.Helper()
		u.command(set, "den-01")
		st, _ := u.reg.Get("den-01")
		u.svc.confirm(st) // as Run does when the lamp's state comes back
		if w := u.svc.waiting["den-01"]; len(w) != 0 {
			t.Fatalf("%+v: the lamp's state did not confirm it", set)
		}
		return u.lamps.take()
	}
	if sent := command(LightSet{Brightness: devices.Int(60)}); len(sent) != 1 || !strings.Contains(sent[0], `"brightness":60`) {
		t.Fatalf("sent %v", sent)
	}
	command(LightSet{On: devices.Bool(false)})
	if sent := command(LightSet{On: devices.Bool(true)}); len(sent) != 1 || strings.Contains(sent[0], "brightness") {
		t.Fatalf("switching on at the brightness it has: sent %v, want on alone", sent)
	}
	u.want("den-01", "on 60")
	if sent := command(LightSet{On: devices.Bool(true), Brightness: devices.Int(40)}); len(sent) != 1 || !strings.Contains(sent[0], `"brightness":40`) {
		t.Fatalf("a new brightness: sent %v", sent)
	}
}
