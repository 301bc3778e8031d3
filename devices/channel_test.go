package devices

import (
	"testing"
	"time"
)

func channelRegistry() *Registry {
	return NewRegistry([]Device{
		{ID: "tu-1", Kind: Light, Zone: "ngo-3", Protocol: Tasmota, Topic: "tu"},
		{ID: "tu-2", Kind: Light, Zone: "ngo-3", Protocol: Tasmota, Topic: "tu", Channel: "2"},
		{ID: "tu-4", Kind: Light, Zone: "ngo-3", Protocol: Tasmota, Topic: "tu", Channel: "4"},
		{ID: "pro-1", Kind: Light, Zone: "ngo-3", Protocol: Shelly, Topic: "pro", Channel: "1"},
		{ID: "pro-2", Kind: Light, Zone: "ngo-3", Protocol: Shelly, Topic: "pro", Channel: "2"},
	}, map[Kind]time.Duration{Light: 10 * time.Minute}, t0)
}

func TestCheckChannel(t *testing.T) {
	for _, tc := range []struct {
		p    Protocol
		ch   string
		okay bool
	}{
		{Tasmota, "", true}, {Tasmota, "1", true}, {Tasmota, "32", true}, {Tasmota, "0", false},
		{Tasmota, "33", false}, {Tasmota, "02", false}, {Tasmota, "x", false},
		{Shelly, "0", true}, {Shelly, "3", true}, {Shelly, "-1", false}, {Shelly, "a", false},
		{ESPHome, "relay_2", true}, {HASS, "den-ngo", true}, {ESPHome, "a/b", false},
		{Zigbee2MQTT, "l2", true}, {Zigbee2MQTT, "l 2", false},
		{Native, "1", false}, {Frigate, "1", false}, {Sonos2MQTT, "1", false}, {Native, "", true},
	} {
		if err := CheckChannel(tc.p, tc.ch); (err == nil) != tc.okay {
			t.Errorf("CheckChannel(%s, %q) = %v, want ok %v", tc.p, tc.ch, err, tc.okay)
		}
	}
}

func TestChannelsHaveTheirOwnState(t *testing.T) {
	r := channelRegistry()
	tu := Address{Protocol: Tasmota, Key: "tu"}
	on, off := Bool(true), Bool(false)
	// POWER1 (primary) reaches the device declared without a channel.
	r.Observe(Address{Protocol: Tasmota, Key: "tu", Channel: "1"}, Report{Primary: true, Light: &LightState{On: on}}, false, t0)
	r.Observe(Address{Protocol: Tasmota, Key: "tu", Channel: "2"}, Report{Light: &LightState{On: off}}, false, t0)
	// POWER3 belongs to no declared device.
	if _, _, ok := r.Observe(Address{Protocol: Tasmota, Key: "tu", Channel: "3"}, Report{Light: &LightState{On: on}}, false, t0); ok {
		t.Error("POWER3 reached a device")
	}
	for id, want := range map[string]bool{"tu-1": true, "tu-2": false} {
		s, _ := r.Get(id)
		if s.Reported.Light == nil || *s.Reported.Light.On != want {
			t.Errorf("%s reported %+v, want on %v", id, s.Reported.Light, want)
		}
	}
	if s, _ := r.Get("tu-4"); s.Reported.Light != nil {
		t.Errorf("tu-4 got state %+v", s.Reported.Light)
	}
	// The controller's LWT applies to every channel.
	_, ts, ok := r.Observe(tu, Report{Availability: Offline}, false, t0.Add(time.Second))
	if !ok || len(ts) != 3 {
		t.Fatalf("LWT Offline: ok %v, transitions %v, want 3", ok, ts)
	}
	for _, id := range []string{"tu-1", "tu-2", "tu-4"} {
		if s, _ := r.Get(id); s.Availability != Offline || s.Cause != CauseLWT {
			t.Errorf("%s availability %s (%s), want offline by lwt", id, s.Availability, s.Cause)
		}
	}
	if got := r.Channels(tu); len(got) != 3 || got[0].ID != "tu-1" || got[1].ID != "tu-2" {
		t.Errorf("Channels = %v", got)
	}
}

func TestChannelWithoutFirstOutputDeclared(t *testing.T) {
	r := channelRegistry()
	// switch:0 (primary) has no device: the Pro 4PM's first output is not declared.
	if _, _, ok := r.Observe(Address{Protocol: Shelly, Key: "pro", Channel: "0"}, Report{Primary: true, Light: &LightState{On: Bool(true)}}, false, t0); ok {
		t.Error("switch:0 reached a device")
	}
	// Controller metrics (no channel) go to its first channel in order; online reaches both.
	_, ts, ok := r.Observe(Address{Protocol: Shelly, Key: "pro"}, Report{Availability: Online}, false, t0)
	if !ok || len(ts) != 2 {
		t.Fatalf("online: ok %v transitions %v", ok, ts)
	}
	if d, ok := r.Resolve(Address{Protocol: Shelly, Key: "pro"}, false); !ok || d.ID != "pro-1" {
		t.Errorf("Resolve(controller) = %v %v, want pro-1", d.ID, ok)
	}
	r.Observe(Address{Protocol: Shelly, Key: "pro", Channel: "2"}, Report{Light: &LightState{On: Bool(true)}, Metrics: map[string]float64{"power_w": 40}}, false, t0)
	if s, _ := r.Get("pro-2"); s.Telemetry["power_w"] != 40 || !*s.Reported.Light.On {
		t.Errorf("pro-2 = %+v %v", s.Reported.Light, s.Telemetry)
	}
	if s, _ := r.Get("pro-1"); s.Telemetry != nil || s.Reported.Light != nil {
		t.Errorf("pro-1 got channel 2's report: %+v %v", s.Reported.Light, s.Telemetry)
	}
}

func TestForgetChannels(t *testing.T) {
	r := NewRegistry(nil, nil, t0)
	for _, ch := range []string{"1", "2"} {
		r.Discover(Device{ID: ChannelID("tas", ch), Kind: Light, Protocol: Tasmota, Topic: "tas", Channel: ch}, "", "", t0)
	}
	if gone := r.Forget(Address{Protocol: Tasmota, Key: "tas", Channel: "2"}); len(gone) != 1 || gone[0].ID != "tas-2" {
		t.Fatalf("Forget channel 2 = %v", gone)
	}
	r.Discover(Device{ID: "tas-2", Kind: Light, Protocol: Tasmota, Topic: "tas", Channel: "2"}, "", "", t0)
	if gone := r.Forget(Address{Protocol: Tasmota, Key: "tas"}); len(gone) != 2 {
		t.Fatalf("Forget controller = %v", gone)
	}
	if len(r.List(Filter{})) != 0 || len(r.Channels(Address{Protocol: Tasmota, Key: "tas"})) != 0 {
		t.Error("devices left behind")
	}
}
