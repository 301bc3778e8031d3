package devices

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)

func testRegistry() *Registry {
	return NewRegistry([]Device{
		{ID: "den-01", Kind: Light, Zone: "ngo-3", Protocol: Tasmota, Topic: "den_01"},
		{ID: "den-02", Kind: Light, Zone: "ngo-3", Protocol: ESPHome, Topic: "den02"},
		{ID: "cam-cong", Kind: Camera, Zone: "ngo-5", Protocol: Frigate, Topic: "cong"},
		{ID: "loa-01", Kind: Speaker, Zone: "ngo-5", Protocol: Native},
	}, map[Kind]time.Duration{Light: 10 * time.Minute, Camera: 5 * time.Minute}, t0)
}

func addr(p Protocol, k string) Address { return Address{Protocol: p, Key: k} }

func TestObserveMergesPartialState(t *testing.T) {
	r := testRegistry()
	a := addr(Tasmota, "den_01")
	r.Observe(a, Report{Light: &LightState{On: Bool(true), Brightness: Int(80)}}, false, t0)
	r.Observe(a, Report{Light: &LightState{On: Bool(false)}}, false, t0.Add(time.Second))
	s, _ := r.Get("den-01")
	if *s.Reported.Light.On || *s.Reported.Light.Brightness != 80 {
		t.Fatalf("reported = on %v brightness %v", *s.Reported.Light.On, *s.Reported.Light.Brightness)
	}
	if s.Availability != Online || s.Cause != CauseActivity {
		t.Errorf("availability = %s (%s), want online by activity", s.Availability, s.Cause)
	}
}

// Snapshots share the telemetry map, so the registry must replace it, never
// write into it, when new metrics arrive.
func TestSnapshotTelemetryKeepsItsValues(t *testing.T) {
	r := testRegistry()
	a := addr(Tasmota, "den_01")
	r.Observe(a, Report{Metrics: map[string]float64{"power_w": 40, "voltage_v": 230}}, false, t0)
	before, _ := r.Get("den-01")
	r.Observe(a, Report{Metrics: map[string]float64{"power_w": 0}}, false, t0.Add(time.Second))
	if before.Telemetry["power_w"] != 40 {
		t.Errorf("the earlier snapshot's power_w became %v", before.Telemetry["power_w"])
	}
	now, _ := r.Get("den-01")
	if now.Telemetry["power_w"] != 0 || now.Telemetry["voltage_v"] != 230 {
		t.Errorf("telemetry now %v, want power_w 0 and voltage_v 230 kept", now.Telemetry)
	}
}

func TestRetainedStateIsNotActivity(t *testing.T) {
	r := testRegistry()
	_, ts, _ := r.Observe(addr(Tasmota, "den_01"), Report{Light: &LightState{On: Bool(true)}}, true, t0)
	if len(ts) != 0 {
		t.Fatalf("retained state caused %v", ts)
	}
	if s, _ := r.Get("den-01"); s.Availability != Unknown {
		t.Errorf("availability = %s, want unknown", s.Availability)
	}
}

func TestLWTTransitions(t *testing.T) {
	r := testRegistry()
	a := addr(Tasmota, "den_01")
	_, ts, _ := r.Observe(a, Report{Availability: Online}, true, t0)
	if len(ts) != 1 || ts[0].From != Unknown || ts[0].To != Online || ts[0].Cause != CauseLWT {
		t.Fatalf("transitions = %+v", ts)
	}
	_, ts, _ = r.Observe(a, Report{Availability: Online}, false, t0.Add(time.Second))
	if len(ts) != 0 {
		t.Fatalf("repeated online gave %+v", ts)
	}
	_, ts, _ = r.Observe(a, Report{Availability: Offline}, false, t0.Add(2*time.Second))
	if len(ts) != 1 || ts[0].To != Offline {
		t.Fatalf("offline gave %+v", ts)
	}
}

func TestTimeoutRules(t *testing.T) {
	r := testRegistry()
	// den-01 talks (live telemetry) and has a Last Will; den-02 has a Last Will and is quiet.
	r.Observe(addr(Tasmota, "den_01"), Report{Availability: Online}, true, t0)
	r.Observe(addr(Tasmota, "den_01"), Report{Metrics: map[string]float64{"power_w": 40}}, false, t0)
	r.Observe(addr(ESPHome, "den02"), Report{Availability: Online}, true, t0)
	ts := r.Expire(t0.Add(4 * time.Minute))
	if len(ts) != 0 {
		t.Fatalf("early expiry: %+v", ts)
	}
	ts = r.Expire(t0.Add(11 * time.Minute))
	got := map[string]Cause{}
	for _, tr := range ts {
		got[tr.Device.ID] = tr.Cause
	}
	if got["den-01"] != CauseTimeout {
		t.Errorf("silent talker not timed out: %+v", ts)
	}
	if _, ok := got["den-02"]; ok {
		t.Errorf("quiet device with a Last Will timed out: %+v", ts)
	}
	// The camera never said anything since start: offline after 5m; the speaker has no timeout.
	if got["cam-cong"] != CauseTimeout {
		t.Errorf("never-seen camera not timed out: %+v", ts)
	}
	if _, ok := got["loa-01"]; ok {
		t.Errorf("kind without a timeout timed out")
	}
}

func TestSilenceWhileNotListeningIsNotCounted(t *testing.T) {
	r := testRegistry()
	r.Observe(addr(Tasmota, "den_01"), Report{Metrics: map[string]float64{"power_w": 1}}, false, t0)
	r.MarkAll(CauseLinkDown, t0.Add(time.Minute))
	r.Listening(t0.Add(time.Hour))
	if ts := r.Expire(t0.Add(time.Hour + time.Minute)); len(ts) != 0 {
		t.Fatalf("timed out right after reconnect: %+v", ts)
	}
	if s, _ := r.Get("den-01"); s.Availability != Unknown || s.Cause != CauseLinkDown {
		t.Errorf("after link down: %s %s", s.Availability, s.Cause)
	}
}

func TestFrigateAvailabilityAndStreaming(t *testing.T) {
	r := testRegistry()
	ts := r.ObserveAll(Frigate, Online, t0)
	if len(ts) != 1 || ts[0].Device.ID != "cam-cong" || ts[0].Cause != CauseFrigate {
		t.Fatalf("ObserveAll = %+v", ts)
	}
	_, ts, _ = r.Observe(addr(Frigate, "cong"), Report{Camera: &CameraState{Streaming: Bool(false)}}, false, t0)
	if len(ts) != 1 || ts[0].To != Offline || ts[0].Cause != CauseFrigate {
		t.Fatalf("fps 0 = %+v", ts)
	}
}

func TestDiscoverAndForget(t *testing.T) {
	r := testRegistry()
	d, added := r.Discover(Device{ID: "tasmota-new", Kind: Light, Protocol: Tasmota, Topic: "tasmota_ABC"}, "Sonoff", "14.1", t0)
	if !added || !d.Discovered {
		t.Fatalf("Discover = %+v, %v", d, added)
	}
	// A declared device keeps its identity when it announces itself.
	d, added = r.Discover(Device{ID: "x", Protocol: Tasmota, Topic: "den_01"}, "Sonoff", "", t0)
	if added || d.ID != "den-01" {
		t.Fatalf("declared device rediscovered as %+v", d)
	}
	if gone := r.Forget(addr(Tasmota, "den_01")); len(gone) != 0 {
		t.Error("declared device forgotten")
	}
	if gone := r.Forget(addr(Tasmota, "tasmota_ABC")); len(gone) != 1 {
		t.Error("discovered device not forgotten")
	}
}

func TestSubscribersGetChangesAndSlowOnesDrop(t *testing.T) {
	r := testRegistry()
	ch, cancel := r.Subscribe(1)
	defer cancel()
	r.Observe(addr(Native, "loa-01"), Report{Speaker: &SpeakerState{Volume: Int(70)}}, false, t0)
	c := <-ch
	if c.Type != ChangeState || c.Status.ID != "loa-01" {
		t.Fatalf("change = %+v", c)
	}
	for i := 0; i < 5; i++ {
		r.Observe(addr(Native, "loa-01"), Report{Speaker: &SpeakerState{Volume: Int(i)}}, false, t0)
	}
	if r.Dropped() == 0 {
		t.Error("no drops counted for a slow subscriber")
	}
}

// A Latest subscriber that falls behind keeps each device's newest change
// of each type, in the order the devices first changed, and misses none.
func TestSubscribeLatestKeepsEachDevicesNewest(t *testing.T) {
	r := testRegistry()
	l, cancel := r.SubscribeLatest()
	for i := 1; i <= 5; i++ {
		r.Observe(addr(Native, "loa-01"), Report{Speaker: &SpeakerState{Volume: Int(i * 10)}}, false, t0)
		r.Observe(addr(Tasmota, "den_01"), Report{Light: &LightState{On: Bool(i%2 == 1)}}, false, t0)
	}
	r.Observe(addr(Tasmota, "den_01"), Report{Availability: Offline}, false, t0.Add(time.Second))
	<-l.Ready()
	got := l.Take()
	var kinds []string
	for _, c := range got {
		kinds = append(kinds, c.Status.ID+" "+string(c.Type))
	}
	// Observing an unseen device also makes it online (availability); a
	// change overtaken by a newer one of its device and type is gone, and the
	// newer one takes its place in the order.
	want := []string{"loa-01 availability", "loa-01 state", "den-01 state", "den-01 availability"}
	if strings.Join(kinds, ", ") != strings.Join(want, ", ") {
		t.Fatalf("taken %v, want %v", kinds, want)
	}
	if v := *got[1].Status.Reported.Speaker.Volume; v != 50 {
		t.Errorf("loa-01's volume %d, want the newest, 50", v)
	}
	if last := got[len(got)-1].Status; last.Availability != Offline || !*last.Reported.Light.On {
		t.Errorf("den-01's last change carries %s, on %v; want its newest status (offline, on)", last.Availability, *last.Reported.Light.On)
	}
	if r.Dropped() != 0 {
		t.Errorf("%d changes dropped", r.Dropped())
	}
	if len(l.Take()) != 0 {
		t.Error("Take twice returned the same changes")
	}
	cancel()
	cancel()
	if _, open := <-l.Ready(); open {
		t.Error("Ready still open after cancel")
	}
}

// SubscribeFunc delivers only what keep accepts, so a burst of other
// changes does not fill the subscriber's buffer.
func TestSubscribeFuncFilters(t *testing.T) {
	r := testRegistry()
	ch, cancel := r.SubscribeFunc(1, func(c Change) bool { return c.Status.Kind == Speaker && c.Type == ChangeAvailability })
	defer cancel()
	for i := range 50 {
		r.Observe(addr(Tasmota, "den_01"), Report{Light: &LightState{Brightness: Int(i)}}, false, t0)
	}
	r.Observe(addr(Native, "loa-01"), Report{Availability: Online}, false, t0)
	if c := <-ch; c.Status.ID != "loa-01" || c.Type != ChangeAvailability {
		t.Fatalf("got %+v", c)
	}
	if r.Dropped() != 0 {
		t.Errorf("%d changes dropped", r.Dropped())
	}
}

// SubscribeLatestFunc keeps only what keep accepts, and of that each
// device's newest change of each type: a burst of any size arrives as the
// last state, nothing dropped.
func TestSubscribeLatestFuncFilters(t *testing.T) {
	r := testRegistry()
	l, cancel := r.SubscribeLatestFunc(func(c Change) bool { return c.Status.Kind == Light && c.Type != ChangeDesired })
	defer cancel()
	for i := range 10000 {
		r.Observe(addr(Tasmota, "den_01"), Report{Light: &LightState{Brightness: Int(i % 101)}}, false, t0)
	}
	r.SetDesired("den-01", State{Light: &LightState{On: Bool(true)}})
	r.Observe(addr(Native, "loa-01"), Report{Availability: Online}, false, t0)
	<-l.Ready()
	got := l.Take()
	// The first message also brought den-01 online (activity).
	if len(got) != 2 || got[0].Type != ChangeAvailability || got[1].Type != ChangeState || got[1].Status.ID != "den-01" ||
		*got[1].Status.Reported.Light.Brightness != 9999%101 {
		t.Fatalf("took %+v, want den-01's availability and newest state alone", got)
	}
	if r.Dropped() != 0 {
		t.Errorf("%d changes dropped", r.Dropped())
	}
}

func TestAssignOnlyDiscovered(t *testing.T) {
	r := testRegistry()
	if _, err := r.Assign("den-01", "ngo-5", "", ""); !errors.Is(err, ErrDeclared) {
		t.Fatalf("assigning a declared device: %v", err)
	}
	if _, err := r.Assign("nope", "ngo-5", "", ""); !errors.Is(err, ErrUnknownDevice) {
		t.Fatalf("assigning an unknown device: %v", err)
	}
	d, _ := r.Discover(Device{ID: "tasmota-abc", Protocol: Tasmota, Topic: "tasmota_ABC"}, "", "", t0)
	s, err := r.Assign(d.ID, "ngo-5", Light, "Đèn mới")
	if err != nil || s.Zone != "ngo-5" || s.Kind != Light || s.Name != "Đèn mới" {
		t.Fatalf("Assign = %+v, %v", s, err)
	}
}

// BenchmarkList lists 1,000 lights, as the lights capability does every
// second to judge lamp faults.
func BenchmarkList(b *testing.B) {
	var ds []Device
	for i := range 1000 {
		ds = append(ds, Device{ID: fmt.Sprintf("den-%04d", i), Kind: Light, Zone: fmt.Sprintf("ngo-%d", i%4),
			Protocol: Tasmota, Topic: fmt.Sprintf("den_%04d", i)})
	}
	r := NewRegistry(ds, nil, t0)
	for b.Loop() {
		r.List(Filter{Kind: Light})
	}
}

// A Latest that is not taken from holds each key's newest value and a
// bounded number of overtaken ones, however many values come.
func TestLatestStaysBoundedWithoutTake(t *testing.T) {
	var h Hub[int]
	l, cancel := h.SubscribeLatest(func(v int) LatestKey { return LatestKey{ID: strconv.Itoa(v % 3)} })
	defer cancel()
	for v := range 10_000 {
		h.Publish(v)
		if n := len(l.queue); n > 2*3+64 {
			t.Fatalf("after %d values the queue holds %d", v+1, n)
		}
	}
	if got := l.Take(); !slices.Equal(got, []int{9997, 9998, 9999}) {
		t.Errorf("taken %v, want each key's newest in order: [9997 9998 9999]", got)
	}
	h.Publish(1)
	if got := l.Take(); !slices.Equal(got, []int{1}) {
		t.Errorf("taken %v after one more value, want [1]", got)
	}
}

// A desired state set is a change of its own type (the lights capability,
// which sets it, does not subscribe to it), and for a Latest subscriber it
// overtakes the device's reported change: both carry the whole state.
func TestSetDesiredIsADesiredChange(t *testing.T) {
	r := testRegistry()
	ch, cancel := r.Subscribe(16)
	defer cancel()
	l, cancelLatest := r.SubscribeLatest()
	defer cancelLatest()
	r.Observe(addr(Tasmota, "den_01"), Report{Light: &LightState{On: Bool(false)}}, false, t0)
	if !r.SetDesired("den-01", State{Light: &LightState{On: Bool(true)}}) {
		t.Fatal("SetDesired: no den-01")
	}
	var types []ChangeType
	for len(ch) > 0 {
		types = append(types, (<-ch).Type)
	}
	if !slices.Equal(types, []ChangeType{ChangeState, ChangeAvailability, ChangeDesired}) {
		t.Errorf("changes %v, want state, availability, desired", types)
	}
	got := l.Take()
	if len(got) != 2 || got[1].Type != ChangeDesired || !*got[1].Status.Desired.Light.On || *got[1].Status.Reported.Light.On {
		t.Errorf("Latest took %+v, want den-01's availability, then its desired change (in the place of its state change) carrying both states", got)
	}
}
