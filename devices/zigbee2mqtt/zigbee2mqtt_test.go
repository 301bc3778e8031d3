package zigbee2mqtt

import (
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

func TestDecode(t *testing.T) {
	on, off := devices.Bool(true), devices.Bool(false)
	tests := []struct {
		name, topic, payload string
		want                 devices.Report // Protocol filled in
		reason               devices.Reason
		detail               string
	}{
		{name: "bridge online", topic: "zigbee2mqtt/bridge/state", payload: `{"state":"online"}`, want: devices.Report{AvailabilityAll: true, Availability: devices.Online}},
		{name: "bridge legacy offline", topic: "zigbee2mqtt/bridge/state", payload: `offline`, want: devices.Report{AvailabilityAll: true, Availability: devices.Offline}},
		{name: "bridge bad", topic: "zigbee2mqtt/bridge/state", payload: `{"state":"sleeping"}`, reason: devices.ReasonWrongType, detail: `bridge/state: want "online" or "offline", got "sleeping"`},
		{name: "bridge no state", topic: "zigbee2mqtt/bridge/state", payload: `{}`, reason: devices.ReasonMissingField},
		{name: "bridge logging", topic: "zigbee2mqtt/bridge/logging", payload: `{"level":"info","message":"x"}`, reason: devices.ReasonIgnored},
		{name: "availability", topic: "zigbee2mqtt/floor 1/lamp/availability", payload: `{"state":"offline"}`, want: devices.Report{Key: "floor 1/lamp", Availability: devices.Offline}},
		{name: "availability legacy", topic: "zigbee2mqtt/lamp/availability", payload: `online`, want: devices.Report{Key: "lamp", Availability: devices.Online}},
		{name: "availability cleared", topic: "zigbee2mqtt/lamp/availability", payload: ``, reason: devices.ReasonIgnored},
		{name: "availability state number", topic: "zigbee2mqtt/lamp/availability", payload: `{"state":1}`, reason: devices.ReasonWrongType, detail: `"state": want a string, got 1`},
		{name: "set", topic: "zigbee2mqtt/lamp/set", payload: `{"state":"ON"}`, reason: devices.ReasonIgnored},
		{name: "set attribute", topic: "zigbee2mqtt/a/b/set/brightness", payload: `50`, reason: devices.ReasonIgnored, detail: `command topic (commands to "a/b")`},
		{name: "get", topic: "zigbee2mqtt/lamp/get", payload: `{"state":""}`, reason: devices.ReasonIgnored},
		{name: "state", topic: "zigbee2mqtt/lamp", payload: `{"brightness":254,"state":"ON"}`, want: devices.Report{Key: "lamp", Light: &devices.LightState{On: on, Brightness: devices.Int(100)}}},
		{name: "state nested name", topic: "zigbee2mqtt/street/den 3", payload: `{"state":"off","brightness":"127"}`, want: devices.Report{Key: "street/den 3", Light: &devices.LightState{On: off, Brightness: devices.Int(50)}}},
		{name: "brightness abc", topic: "zigbee2mqtt/lamp", payload: `{"brightness":"abc"}`, reason: devices.ReasonWrongType, detail: `"brightness": want a number 0-254, got "abc"`},
		{name: "brightness 300", topic: "zigbee2mqtt/lamp", payload: `{"brightness":300}`, reason: devices.ReasonWrongType},
		{name: "state toggle", topic: "zigbee2mqtt/lamp", payload: `{"state":"TOGGLE"}`, reason: devices.ReasonWrongType, detail: `"state": want "ON" or "OFF", got "TOGGLE"`},
		{name: "state number", topic: "zigbee2mqtt/lamp", payload: `{"state":1}`, reason: devices.ReasonWrongType},
		{name: "energy strings", topic: "zigbee2mqtt/plug", payload: `{"power":"12.5","energy":3,"voltage":230,"current":0.1,"linkquality":99}`,
			want: devices.Report{Key: "plug", Metrics: map[string]float64{"power_w": 12.5, "energy_kwh": 3, "voltage_v": 230, "current_a": 0.1, "linkquality": 99}}},
		{name: "power nan string", topic: "zigbee2mqtt/plug", payload: `{"power":"NaN"}`, reason: devices.ReasonWrongType},
		{name: "power inf string", topic: "zigbee2mqtt/plug", payload: `{"power":"Inf"}`, reason: devices.ReasonWrongType},
		{name: "action", topic: "zigbee2mqtt/btn", payload: `{"action":"double"}`, want: devices.Report{Key: "btn", Events: []devices.Event{{Type: "button", Ref: "double"}}}},
		{name: "empty action", topic: "zigbee2mqtt/btn", payload: `{"action":"","update":{}}`, reason: devices.ReasonIgnored},
		{name: "nothing", topic: "zigbee2mqtt/sensor", payload: `{"update_available":false}`, reason: devices.ReasonIgnored},
		{name: "plain payload", topic: "zigbee2mqtt/lamp", payload: `ON`, reason: devices.ReasonMalformed},
		{name: "empty state", topic: "zigbee2mqtt/lamp", payload: ``, reason: devices.ReasonEmpty},
		{name: "binary", topic: "zigbee2mqtt/lamp", payload: "\xff\xfe", reason: devices.ReasonBinary},
		{name: "base only", topic: "zigbee2mqtt", payload: `{}`, reason: devices.ReasonUnknownTopic},
		{name: "base slash", topic: "zigbee2mqtt/", payload: `{}`, reason: devices.ReasonUnknownTopic},
		{name: "empty level", topic: "zigbee2mqtt/a//b", payload: `{}`, reason: devices.ReasonUnknownTopic},
		{name: "other base", topic: "z2m/lamp", payload: `{}`, reason: devices.ReasonUnknownTopic},
	}
	a := New("")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reps, err := a.Decode(tt.topic, []byte(tt.payload), false)
			sample.CheckDecode(t, tt.topic, reps, err)
			if tt.reason != "" {
				if sample.Reason(err) != tt.reason {
					t.Fatalf("err = %v, want reason %s", err, tt.reason)
				}
				if de := err.(*devices.DecodeError); tt.detail != "" && de.Detail != tt.detail {
					t.Fatalf("detail = %q\n want %q", de.Detail, tt.detail)
				}
				return
			}
			if err != nil || len(reps) != 1 {
				t.Fatalf("Decode = %v, %v", reps, err)
			}
			tt.want.Protocol = devices.Zigbee2MQTT
			if g, w := sample.Dump(reps[0]), sample.Dump(tt.want); g != w {
				t.Fatalf("report\n got %s\nwant %s", g, w)
			}
		})
	}
}

func TestDecodeHostile(t *testing.T) {
	a := New("zigbee2mqtt")
	for _, h := range sample.HostileJSON() {
		reps, err := a.Decode("zigbee2mqtt/lamp", h.Payload, false)
		sample.CheckDecode(t, "zigbee2mqtt/lamp", reps, err)
		if sample.Reason(err) != h.Reason {
			t.Errorf("%s: err = %v, want %s", h.Name, err, h.Reason)
		}
	}
}

func TestEncode(t *testing.T) {
	a := New("zigbee2mqtt")
	tests := []struct {
		topic   string
		light   *devices.LightState
		want    string
		wantErr string
	}{
		{"lamp", &devices.LightState{On: devices.Bool(true), Brightness: devices.Int(50)}, `zigbee2mqtt/lamp/set {"brightness":127,"state":"ON"}`, ""},
		{"street/den 3", &devices.LightState{Brightness: devices.Int(100)}, `zigbee2mqtt/street/den 3/set {"brightness":254}`, ""},
		{"lamp", &devices.LightState{On: devices.Bool(false), Brightness: devices.Int(50)}, `zigbee2mqtt/lamp/set {"state":"OFF"}`, ""},
		{"lamp", &devices.LightState{Brightness: devices.Int(-1)}, "", "outside 0-100"},
		{"lamp", nil, "", "only light commands"},
		{"", &devices.LightState{On: devices.Bool(true)}, "", "no friendly name"},
		{"bridge", &devices.LightState{On: devices.Bool(true)}, "", "cannot be addressed"},
		{"a/set", &devices.LightState{On: devices.Bool(true)}, "", "cannot be addressed"},
		{"a#", &devices.LightState{On: devices.Bool(true)}, "", "wildcard"},
	}
	for _, tt := range tests {
		msgs, err := a.Encode(devices.Command{Device: devices.Device{ID: "d", Topic: tt.topic}, Light: tt.light})
		sample.CheckEncode(t, msgs, err)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Encode(%q) err = %v, want %q", tt.topic, err, tt.wantErr)
			}
			continue
		}
		if err != nil || len(msgs) != 1 || msgs[0].Topic+" "+string(msgs[0].Payload) != tt.want || msgs[0].QoS != 1 {
			t.Errorf("Encode(%q) = %+v, %v; want %s", tt.topic, msgs, err, tt.want)
		}
	}
}

// TestRoundTrip checks that every brightness survives encode (0–254) and decode.
func TestRoundTrip(t *testing.T) {
	a := New("")
	for b := 0; b <= 100; b++ {
		msgs, err := a.Encode(devices.Command{Device: devices.Device{Topic: "l"}, Light: &devices.LightState{Brightness: devices.Int(b)}})
		if err != nil {
			t.Fatal(err)
		}
		reps, err := a.Decode("zigbee2mqtt/l", msgs[0].Payload, false)
		if err != nil || *reps[0].Light.Brightness != b {
			t.Fatalf("brightness %d -> %s -> %v, %v", b, msgs[0].Payload, reps, err)
		}
	}
}

func TestQueryState(t *testing.T) {
	a := New("zigbee2mqtt")
	sample.CheckQueryState(t, a, []sample.QueryCase{
		{Dev: devices.Device{ID: "den", Topic: "street/den 3"}, Want: `zigbee2mqtt/street/den 3/get {"state":""}`},
		{Dev: devices.Device{ID: "sw-l2", Topic: "switch", Channel: "l2"}, Want: `zigbee2mqtt/switch/get {"state_l2":""}`},
		{Dev: devices.Device{ID: "x"}, WantErr: "no friendly name"},
		{Dev: devices.Device{ID: "x", Topic: "a/get"}, WantErr: "cannot be addressed"},
	})
}
