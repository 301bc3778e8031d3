package sim

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// TestFleetComesUp checks that every protocol's retained birth messages
// reach a plain subscriber that connects after the fleet, and what each
// firmware does on a clean Close.
func TestFleetComesUp(t *testing.T) {
	b := startBroker(t)
	f := startFleet(t, b.url, Spec{Lights: 2, Shelly: 1, ESPHome: 1, Cameras: 2, Speakers: 1, NativeLights: 1,
		Period: time.Hour, Seed: 1})
	if got := len(f.Devices()); got != 8 {
		t.Fatalf("Devices() = %d devices, want 8", got)
	}
	shellyPrefix := deviceOf(t, f, "shelly-01").Topic
	if !strings.HasPrefix(shellyPrefix, "shellyplus1pm-") || len(shellyPrefix) != len("shellyplus1pm-")+12 {
		t.Errorf("shelly topic prefix = %q, want shellyplus1pm-<12 hex digits>", shellyPrefix)
	}

	p := newProbe(t, b.url, "#")
	retained := func(topic, payload string) {
		t.Helper()
		if m := p.waitPayload(t, topic, payload); !m.retained {
			t.Errorf("%s %q was not retained", topic, payload)
		}
	}
	retained("tele/den_01/LWT", "Online")
	retained("tele/den_02/LWT", "Online")
	retained(shellyPrefix+"/online", "true")
	retained("esp-den-01/status", "online")
	retained("frigate/available", "online")
	retained("frigate/cam_01/detect/state", "ON")
	retained("hamlet/khu10/loa-01/status", "online")
	retained("hamlet/khu10/loa-01/state", `{"playing":"","volume":70}`)
	retained("hamlet/khu10/loa-01/info", `{"kind":"speaker","model":"sim-loa","fw":"1.0","zone":"ngo-1"}`)
	retained("hamlet/khu10/den-nat-01/state", `{"on":false,"brightness":100}`)
	retained("esp-den-01/light/esp_den_01_light/state", `{"color_mode":"brightness","state":"OFF","brightness":255,"color":{}}`)

	cfg := p.wait(t, "homeassistant/light/esp-den-01/esp_den_01_light/config", nil)
	var disc map[string]any
	if err := json.Unmarshal([]byte(cfg.payload), &disc); err != nil {
		t.Fatalf("discovery config: %v", err)
	}
	for k, want := range map[string]any{"schema": "json", "cmd_t": "esp-den-01/light/esp_den_01_light/command",
		"stat_t": "esp-den-01/light/esp_den_01_light/state", "avty_t": "esp-den-01/status"} {
		if disc[k] != want {
			t.Errorf("discovery %s = %v, want %v", k, disc[k], want)
		}
	}

	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	p.waitPayload(t, "esp-den-01/status", "offline")
	p.waitPayload(t, "frigate/available", "stopped")
	p.waitPayload(t, "hamlet/khu10/loa-01/status", "offline")
	b.waitGone(t, f.targets["den-01"].m.clientID, 1)
	p.sync(t)
	for _, m := range p.all("tele/den_01/LWT") {
		if m.payload != "Online" {
			t.Errorf("Tasmota published %q on a clean close; it sends nothing and the broker discards the will", m.payload)
		}
	}
}

func TestStatusAndUnknownDevice(t *testing.T) {
	b := startBroker(t)
	f := startFleet(t, b.url, Spec{Lights: 1, Speakers: 1, Period: time.Hour})
	st, err := f.Status("den-01")
	if err != nil {
		t.Fatal(err)
	}
	if !st.Connected || st.Kind != devices.Light || st.Light == nil || *st.Light.On || *st.Light.Brightness != 100 {
		t.Errorf("Status(den-01) = %+v", st)
	}
	if _, err := f.Status("nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("Status(nope) error = %v, want one naming the device", err)
	}
	if err := f.DropWithWill("nope"); err == nil {
		t.Error("DropWithWill(nope) did not fail")
	}
}

func TestStartFailsWithoutBroker(t *testing.T) {
	f, err := New(Spec{Lights: 1}, Options{Broker: "tcp://127.0.0.1:1", ConnectTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := f.Start(ctx); err == nil || !strings.Contains(err.Error(), "den-01") {
		t.Errorf("Start without a broker: error = %v, want one naming the device", err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("Close after a failed Start: %v", err)
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	b := startBroker(t)
	f, err := New(Spec{Lights: 1, Period: time.Hour, Chaos: time.Hour,
		Faults: []Fault{{At: 0, Device: "den-01", Action: FaultGarbage}}}, Options{Broker: b.url})
	if err != nil {
		t.Fatal(err)
	}
	p := newProbe(t, b.url, "tele/den_01/#")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	p.wait(t, "tele/den_01/STATE", func(s string) bool { return strings.Contains(s, `"Dimmer":"abc"`) }) // the scheduled garbage
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil after cancel", err)
		}
	case <-time.After(waitLimit):
		t.Fatal("Run did not return after cancel")
	}
}

func TestNewRejectsBadSpec(t *testing.T) {
	_, err := New(Spec{
		Area:    "khu/10",
		Lights:  -1,
		Speed:   -2,
		Devices: []DeviceSpec{{ID: "x", Protocol: devices.Zigbee2MQTT}, {ID: "y", Protocol: devices.Native, Zone: "ngo-9"}},
		Faults:  []Fault{{Device: "ghost", Action: "explode"}},
	}, Options{Broker: "tcp://127.0.0.1:1883"})
	if err == nil {
		t.Fatal("New accepted a bad spec")
	}
	for _, want := range []string{"area", "lights", "speed", "devices[0].protocol", "devices[1].zone", "faults[0].device",
		"faults[0].action"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
	if _, err := New(Spec{}, Options{Broker: "ws://x:1"}); err == nil || !strings.Contains(err.Error(), "ws") {
		t.Errorf("New with a ws broker: error = %v", err)
	}
	if _, err := New(Spec{}, Options{}); err == nil || !strings.Contains(err.Error(), "broker") {
		t.Errorf("New without a broker: error = %v", err)
	}
}

func TestClientIDsAreUnique(t *testing.T) {
	f, err := New(Spec{Lights: 3000, Shelly: 50, ESPHome: 50, Speakers: 50}, Options{Broker: "tcp://127.0.0.1:1883"})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, d := range f.devs {
		if seen[d.m.clientID] {
			t.Fatalf("client id %q used twice", d.m.clientID)
		}
		seen[d.m.clientID] = true
	}
}
