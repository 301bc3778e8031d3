package lights_test

import (
	"context"
	"errors"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/testsvc"
	"github.com/hamlet-vn/hamlet/lights"
	"github.com/hamlet-vn/hamlet/lights/lightstest"
	"github.com/hamlet-vn/hamlet/sim"
)

var operator = accounts.User{Name: "an", Role: accounts.RoleOperator}

// world is a real Mosquitto, a simulated fleet of lights in four protocols
// and the lights pipeline.
type world struct {
	t      *testing.T
	mq     *testsvc.Mosquitto
	fleet  *sim.Fleet
	rig    *lightstest.Rig
	dir    string
	events chan lights.CommandEvent
}

var mixedSpec = sim.Spec{Lights: 2, Shelly: 1, ESPHome: 1, NativeLights: 2, Period: time.Hour, Seed: 1}

func newWorld(t *testing.T) *world { return newWorldOf(t, mixedSpec) }

func newWorldOf(t *testing.T, spec sim.Spec) *world {
	t.Helper()
	w := newFleet(t, spec)
	w.start()
	return w
}

// newFleet is a world whose lights pipeline is not started yet.
func newFleet(t *testing.T, spec sim.Spec) *world {
	t.Helper()
	if testing.Short() {
		t.Skip("lights: integration test skipped under -short")
	}
	w := &world{t: t, mq: testsvc.StartMosquitto(t), dir: t.TempDir(), events: make(chan lights.CommandEvent, 100)}
	f, err := sim.New(spec, sim.Options{Broker: w.mq.URL()})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	w.fleet = f
	return w
}

// start starts (or restarts) the pipeline and waits until every light is online.
func (w *world) start() {
	w.t.Helper()
	rig, err := lightstest.Start(context.Background(), lightstest.Options{Broker: w.mq.URL(), Dir: w.dir,
		Devices: w.fleet.Devices(), Lights: func(o *lights.Options) {
			o.ConfirmTimeout = 3 * time.Second
			o.Events = func(ev lights.CommandEvent) { // never block the service, as web's hub does not
				select {
				case w.events <- ev:
				default:
				}
			}
		}})
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(rig.Close)
	w.rig = rig
	// Online and commandable: an ESPHome light's command topic is known only
	// once its discovery record was read, which may come after its availability.
	w.waitFor("every light online and commandable", func() bool {
		for _, st := range rig.Registry.List(devices.Filter{Kind: devices.Light}) {
			probe := devices.Command{ID: "probe", Device: st.Device, Light: &devices.LightState{On: devices.Bool(true)}}
			if _, err := rig.Router.Encode(probe); st.Availability != devices.Online || err != nil {
				return false
			}
		}
		return true
	})
}

func (w *world) waitFor(what string, cond func() bool) {
	w.t.Helper()
	if !lightstest.WaitFor(15*time.Second, cond) {
		w.t.Fatalf("timed out waiting for %s", what)
	}
}

func (w *world) lightsOf(ids ...string) []devices.Device {
	var out []devices.Device
	for _, id := range ids {
		st, ok := w.rig.Registry.Get(id)
		if !ok {
			w.t.Fatalf("no device %s", id)
		}
		out = append(out, st.Device)
	}
	return out
}

func (w *world) allLights() []devices.Device {
	var out []devices.Device
	for _, st := range w.rig.Registry.List(devices.Filter{Kind: devices.Light}) {
		out = append(out, st.Device)
	}
	return out
}

func (w *world) command(req lights.CommandRequest) lights.CommandResult {
	w.t.Helper()
	res, err := w.rig.Lights.Command(context.Background(), req, operator)
	if err != nil {
		w.t.Fatalf("Command: %v", err)
	}
	return res
}

func (w *world) simLight(id string) devices.LightState {
	w.t.Helper()
	st, err := w.fleet.Status(id)
	if err != nil || st.Light == nil {
		w.t.Fatalf("sim status of %s: %v", id, err)
	}
	return *st.Light
}

// publish sends one QoS 1 message from a client of its own.
func publish(t *testing.T, broker, topic, payload string) {
	t.Helper()
	c := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(broker).SetClientID("lights-test-publisher"))
	if tok := c.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("connect: %v", tok.Error())
	}
	defer c.Disconnect(100)
	if tok := c.Publish(topic, 1, false, payload); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("publish: %v", tok.Error())
	}
}

func statuses(res lights.CommandResult) map[string]string {
	out := map[string]string{}
	for _, r := range res.Results {
		out[r.Device] = r.Status
	}
	return out
}

func set(on bool, brightness ...int) *lights.LightSet {
	s := &lights.LightSet{On: devices.Bool(on)}
	if len(brightness) > 0 {
		s.Brightness = devices.Int(brightness[0])
	}
	return s
}

// TestCommandsConfirmPerProtocol switches and dims Tasmota, Shelly, ESPHome
// and native lights through Mosquitto: dimmable lamps confirm from their
// reported state; the Shelly relay cannot dim and is rejected, then
// confirms a plain switch.
func TestCommandsConfirmPerProtocol(t *testing.T) {
	w := newWorld(t)
	all := w.allLights()
	res := w.command(lights.CommandRequest{Target: devices.Target{All: true}, Set: set(true, 60), Devices: all})
	got := statuses(res)
	for _, d := range all {
		want := lights.StatusConfirmed
		if d.Protocol == devices.Shelly {
			want = lights.StatusRejected
		}
		if got[d.ID] != want {
			t.Errorf("%s (%s): status %q, want %q (%+v)", d.ID, d.Protocol, got[d.ID], want, res.Results)
		}
	}
	for _, d := range all {
		l := w.simLight(d.ID)
		if l.On == nil || !*l.On {
			t.Errorf("%s is not on in the simulator: %+v", d.ID, l)
		}
		if d.Protocol != devices.Shelly && (l.Brightness == nil || *l.Brightness < 59 || *l.Brightness > 61) {
			t.Errorf("%s brightness in the simulator = %v, want 60", d.ID, l.Brightness)
		}
	}
	res = w.command(lights.CommandRequest{Target: devices.Target{All: true}, Set: set(false), Devices: all})
	for _, r := range res.Results {
		if r.Status != lights.StatusConfirmed {
			t.Errorf("off: %s: %s %s", r.Device, r.Status, r.Error)
		}
	}
}

// TestOfflineLightGetsItsStateWhenBack: a light that is offline is
// reported offline and not sent anything; when it returns it gets the
// desired state by itself.
func TestOfflineLightGetsItsStateWhenBack(t *testing.T) {
	w := newWorld(t)
	if err := w.fleet.DropWithWill("den-01"); err != nil {
		t.Fatal(err)
	}
	w.waitFor("den-01 offline", func() bool {
		st, _ := w.rig.Registry.Get("den-01")
		return st.Availability == devices.Offline
	})
	res := w.command(lights.CommandRequest{Target: devices.Target{Devices: []string{"den-01", "den-02"}},
		Set: set(true, 40), Devices: w.lightsOf("den-01", "den-02")})
	if got := statuses(res); got["den-01"] != lights.StatusOffline || got["den-02"] != lights.StatusConfirmed {
		t.Fatalf("statuses %v, want den-01 offline and den-02 confirmed", got)
	}
	if on := w.simLight("den-01").On; on != nil && *on {
		t.Fatal("the offline lamp is already on")
	}
	if err := w.fleet.Restore("den-01"); err != nil {
		t.Fatal(err)
	}
	w.waitFor("den-01 on at 40 once back", func() bool {
		l := w.simLight("den-01")
		return l.On != nil && *l.On && l.Brightness != nil && *l.Brightness == 40
	})
}

// TestRestartReassertsDesiredState: desired states survive a restart of
// the pipeline; a lamp switched behind hamlet's back while it was down is
// put back when it reconnects.
func TestRestartReassertsDesiredState(t *testing.T) {
	w := newWorld(t)
	res := w.command(lights.CommandRequest{Target: devices.Target{Devices: []string{"den-nat-01"}},
		Set: set(true, 70), Devices: w.lightsOf("den-nat-01")})
	if statuses(res)["den-nat-01"] != lights.StatusConfirmed {
		t.Fatalf("first command: %+v", res)
	}
	w.rig.Close()
	// Someone switches the lamp off while hamlet is down.
	publish(t, w.mq.URL(), "hamlet/khu10/den-nat-01/cmd", `{"id":"elsewhere","on":false}`)
	w.waitFor("den-nat-01 off behind hamlet's back", func() bool {
		l := w.simLight("den-nat-01")
		return l.On != nil && !*l.On
	})
	w.start()
	if d, ok := w.rig.Lights.DesiredOf("den-nat-01"); !ok || !d.On || d.Brightness == nil || *d.Brightness != 70 {
		t.Fatalf("desired state after restart = %+v, %v", d, ok)
	}
	w.waitFor("den-nat-01 on at 70", func() bool {
		l := w.simLight("den-nat-01")
		return l.On != nil && *l.On && l.Brightness != nil && *l.Brightness == 70
	})
}

// TestCommandIDIsIdempotent: a retry with the same id answers the first
// command's results; the same id with another request is a conflict.
func TestCommandIDIsIdempotent(t *testing.T) {
	w := newWorld(t)
	req := lights.CommandRequest{ID: "phone-42", Target: devices.Target{Devices: []string{"den-02"}},
		Set: set(true), Devices: w.lightsOf("den-02")}
	first := w.command(req)
	again := w.command(req)
	if first.ID != "phone-42" || again.ID != first.ID || statuses(again)["den-02"] != lights.StatusConfirmed {
		t.Fatalf("first %+v, again %+v", first, again)
	}
	req.Set = set(false)
	_, err := w.rig.Lights.Command(context.Background(), req, operator)
	if !errors.Is(err, devices.ErrConflict) {
		t.Fatalf("same id, other request: err %v, want ErrConflict", err)
	}
	if on := w.simLight("den-02").On; on == nil || !*on {
		t.Fatal("the conflicting retry reached the lamp")
	}
}

// TestChannelCommandsReachOneOutput: a command to channel 2 of a 4-relay
// Tasmota cabinet switches POWER2 only, and one to switch 1 of a Shelly
// Pro 4PM switch:1 only; the other outputs keep their state.
func TestChannelCommandsReachOneOutput(t *testing.T) {
	w := newWorldOf(t, sim.Spec{Cabinets: 1, Pro4PM: 1, Period: time.Hour, Seed: 2})
	for _, id := range []string{"tu-01-2", "pro4pm-01-1"} {
		res := w.command(lights.CommandRequest{Target: devices.Target{Devices: []string{id}}, Set: set(true),
			Devices: w.lightsOf(id)})
		if statuses(res)[id] != lights.StatusConfirmed {
			t.Fatalf("%s: %+v", id, res)
		}
	}
	for _, d := range w.allLights() {
		want := d.ID == "tu-01-2" || d.ID == "pro4pm-01-1"
		if on := w.simLight(d.ID).On; (on != nil && *on) != want {
			t.Errorf("%s on = %v, want %v", d.ID, on != nil && *on, want)
		}
	}
}

// TestLightsNotHeardAreAskedForTheirState: lamps that reported their state
// before hamlet started (so it missed it) and report again only every hour
// are asked for it (Tasmota STATE, Shelly status_update): each light,
// cabinet relays and Pro 4PM outputs included, shows its state within
// seconds; the lights whose state is retained (ESPHome, native) are not
// asked.
func TestLightsNotHeardAreAskedForTheirState(t *testing.T) {
	spec := sim.Spec{Lights: 2, Shelly: 1, Cabinets: 1, Pro4PM: 1, ESPHome: 1, NativeLights: 1, Period: time.Hour, Seed: 3}
	w := newFleet(t, spec)
	time.Sleep(time.Second) // the lamps' boot reports go out to no one
	w.start()
	reg := prometheus.NewRegistry()
	w.rig.Lights.Register(reg)
	w.waitFor("every light's reported state", func() bool {
		for _, st := range w.rig.Registry.List(devices.Filter{Kind: devices.Light}) {
			if st.Reported.Light == nil || st.Reported.Light.On == nil {
				return false
			}
		}
		return true
	})
	for _, st := range w.rig.Registry.List(devices.Filter{Kind: devices.Light}) {
		if want := w.simLight(st.ID); *st.Reported.Light.On != *want.On {
			t.Errorf("%s reported on=%v, the lamp is on=%v", st.ID, *st.Reported.Light.On, *want.On)
		}
	}
	// Five controllers (2 Tasmota lamps, the cabinet, the Plus 1PM, the Pro
	// 4PM), each asked at least once; a controller's answer tells all its
	// outputs, which are then not asked: 5 to 11 queries.
	if n := counterValue(t, reg, "hamlet_light_state_queries_total"); n < 5 || n > 11 {
		t.Errorf("%v lights asked for their state, want one to four per controller, 5 to 11", n)
	}
}

// counterValue is the value of the counter name, without labels, in reg.
func counterValue(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}
