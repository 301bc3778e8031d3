package protocols

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

func TestNewErrors(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Error("New without area succeeded")
	}
	_, err := New(Options{Area: "a", Devices: []devices.Device{{ID: "d1", Protocol: devices.Tasmota, Topic: "x", FullTopic: "%topic%/"}}})
	if err == nil || !strings.Contains(err.Error(), "d1") {
		t.Errorf("bad FullTopic: err = %v", err)
	}
}

func TestSubscriptions(t *testing.T) {
	r, err := New(sampleOptions())
	if err != nil {
		t.Fatal(err)
	}
	subs := r.Subscriptions()
	for _, want := range []string{"hamlet/khu10/+/+", "tele/+/#", "std/+/s/stat/#", "emoncms/ch2i/factory/+/tele/#", "tasmota/discovery/#", "zigbee2mqtt/#", "sonos/#", "homeassistant/#"} {
		if !slices.Contains(subs, want) {
			t.Errorf("Subscriptions lacks %s: %v", want, subs)
		}
	}
	for _, f := range subs {
		if !devices.ValidFilter(f) {
			t.Errorf("invalid filter %q", f)
		}
	}
	// Tasmota's command topics are only scanned for retained commands:
	// kept, they would bring every command hamlet sends back to it.
	scans := r.Scans()
	for _, want := range []string{"cmnd/+/#", "std/+/s/cmnd/#", "emoncms/ch2i/factory/+/cmnd/#"} {
		if !slices.Contains(scans, want) || slices.Contains(subs, want) {
			t.Errorf("%s: want it in Scans %v, not in Subscriptions", want, scans)
		}
	}
	if len(scans) != 3 {
		t.Errorf("Scans = %v, want only the three cmnd filters", scans)
	}
	r, _ = New(Options{Area: "a"})
	if subs := strings.Join(r.Subscriptions(), " "); strings.Contains(subs, "homeassistant") || strings.Contains(subs, "tasmota/discovery") {
		t.Errorf("discovery off: %s", subs)
	}
}

func TestDecodeRouting(t *testing.T) {
	r, err := New(sampleOptions())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		topic, payload string
		protocol       devices.Protocol
		reason         devices.Reason
	}{
		{"hamlet/khu10/den1/status", "online", devices.Native, ""},
		{"hamlet/khu10/$daemon/status", "online", "", devices.ReasonIgnored},
		{"tele/den1/LWT", "Online", devices.Tasmota, ""},
		{"std/dev400/s/tele/LWT", "Online", devices.Tasmota, ""},
		{"zigbee2mqtt/lamp/availability", `{"state":"online"}`, devices.Zigbee2MQTT, ""},
		{"sonos/connected", "2", devices.Sonos2MQTT, ""},
		{"nobody/listens/here", "x", "", devices.ReasonUnknownTopic},
		{"hamlet/other-area/den1/status", "online", "", devices.ReasonUnknownTopic},
		{"tele/den1/STATE", "\xff", "", devices.ReasonBinary},
	}
	for _, tt := range tests {
		reps, err := r.Decode(tt.topic, []byte(tt.payload), false)
		sample.CheckDecode(t, tt.topic, reps, err)
		if tt.reason != "" {
			if sample.Reason(err) != tt.reason {
				t.Errorf("Decode(%s) err = %v, want %s", tt.topic, err, tt.reason)
			}
			continue
		}
		if err != nil || len(reps) != 1 || reps[0].Protocol != tt.protocol {
			t.Errorf("Decode(%s) = %+v, %v; want protocol %s", tt.topic, reps, err, tt.protocol)
		}
	}
}

// TestLearned checks that a Tasmota discovery with a new FullTopic grows the
// subscriptions, signals Learned, and routes the new topics.
func TestLearned(t *testing.T) {
	r, err := New(sampleOptions())
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-r.Learned():
		t.Fatal("Learned signalled before anything was learned")
	default:
	}
	if _, err := r.Decode("area/den9/tele/LWT", []byte("Online"), true); sample.Reason(err) != devices.ReasonUnknownTopic {
		t.Fatalf("before discovery: %v", err)
	}
	cfg := `{"t":"den9","ft":"area/%topic%/%prefix%/","mac":"AABBCCDDEEFF"}`
	if _, err := r.Decode("tasmota/discovery/AABBCCDDEEFF/config", []byte(cfg), true); err != nil {
		t.Fatal(err)
	}
	select {
	case <-r.Learned():
	default:
		t.Fatal("Learned not signalled")
	}
	if !slices.Contains(r.Subscriptions(), "area/+/tele/#") {
		t.Fatalf("Subscriptions = %v", r.Subscriptions())
	}
	reps, err := r.Decode("area/den9/tele/LWT", []byte("Online"), true)
	if err != nil || reps[0].Key != "den9" {
		t.Fatalf("after discovery: %v, %v", reps, err)
	}
}

func TestEncodeAndAdapter(t *testing.T) {
	r, err := New(sampleOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []devices.Protocol{devices.Native, devices.Tasmota, devices.Zigbee2MQTT, devices.Sonos2MQTT, devices.HASS, devices.ESPHome} {
		if r.Adapter(p) == nil {
			t.Errorf("no adapter for %s", p)
		}
	}
	if r.Adapter(devices.ESPHome) != r.Adapter(devices.HASS) {
		t.Error("ESPHome is not encoded by the HA adapter")
	}
	msgs, err := r.Encode(devices.Command{ID: "c1", Device: devices.Device{ID: "dev400", Protocol: devices.Tasmota, Topic: "dev400", FullTopic: "std/%topic%/s/%prefix%/"},
		Light: &devices.LightState{On: devices.Bool(true)}})
	if err != nil || msgs[0].Topic != "std/dev400/s/cmnd/POWER" {
		t.Fatalf("Encode = %+v, %v", msgs, err)
	}
	if _, err := r.Encode(devices.Command{Device: devices.Device{ID: "x", Protocol: "mystery"}}); err == nil {
		t.Error("Encode for an unknown protocol succeeded")
	}
}

func FuzzDecode(f *testing.F) {
	for _, file := range []string{"tasmota.jsonl", "zigbee2mqtt.jsonl", "speakers.jsonl", "esphome.jsonl", "ha_discovery.jsonl", "shelly.jsonl", "frigate.jsonl"} {
		for _, s := range sample.Seeds(f, file) {
			f.Add(s.Topic, s.Payload)
		}
	}
	f.Add("hamlet/khu10/den1/state", []byte(`{"on":true,"brightness":80}`))
	f.Fuzz(func(t *testing.T, topic string, payload []byte) {
		r, err := New(sampleOptions())
		if err != nil {
			t.Fatal(err)
		}
		reps, err := r.Decode(topic, payload, true)
		sample.CheckDecode(t, topic, reps, err)
	})
}

// TestConcurrentDecode decodes discovery and states from several goroutines
// while reading Subscriptions; run it with -race.
func TestConcurrentDecode(t *testing.T) {
	r, err := New(sampleOptions())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 100 {
				cfg := fmt.Sprintf(`{"t":"d%d","ft":"w%d/%%prefix%%/%%topic%%/"}`, i, w)
				r.Decode(fmt.Sprintf("tasmota/discovery/%012X/config", w*1000+i), []byte(cfg), true)
				r.Decode(fmt.Sprintf("w%d/tele/d%d/LWT", w, i), []byte("Online"), false)
				r.Decode("zigbee2mqtt/lamp", []byte(`{"state":"ON"}`), false)
				r.Subscriptions()
			}
		})
	}
	wg.Wait()
	if !slices.Contains(r.Subscriptions(), "w3/tele/+/#") {
		t.Fatalf("Subscriptions = %v", r.Subscriptions())
	}
}
