package hass

import (
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

// fuzzConfigs are learned before each fuzz input, so that state topics of
// every entity shape are reachable.
var fuzzConfigs = []msg{
	{"esphome/discover/lamp1", `{"name":"lamp1","mac":"a0b1c2d3e4f5","version":"2024.10.0"}`},
	{"homeassistant/light/lamp1/street_lamp/config", esphomeLight},
	{"homeassistant/light/plain/config", `{"stat_t":"plain/state","cmd_t":"plain/set","bri_stat_t":"plain/bri","bri_cmd_t":"plain/bri/set","bri_scl":1000,"uniq_id":"plain"}`},
	{"homeassistant/sensor/s/config", `{"stat_t":"s/state","dev_cla":"temperature","val_tpl":"{{ value_json.t[0] }}","avty":[{"t":"s/a"},{"t":"s/b"}],"avty_mode":"any"}`},
	{"homeassistant/binary_sensor/m/config", `{"stat_t":"m/state","dev_cla":"motion"}`},
	{"homeassistant/siren/h/config", `{"stat_t":"h/state","cmd_t":"h/set","sup_vol":true}`},
	{"homeassistant/camera/c/config", `{"t":"c/image"}`},
}

// FuzzDecode checks that no input makes Decode or Encode panic, that errors
// are *devices.DecodeError, that states stay in range and metrics finite.
func FuzzDecode(f *testing.F) {
	for _, file := range []string{"esphome.jsonl", "ha_discovery.jsonl"} {
		for _, s := range sample.Seeds(f, file) {
			f.Add(s.Topic, s.Payload, true)
		}
	}
	f.Add("homeassistant/device/d/config", []byte(`{"dev":{"ids":"d"},"~":"d","stat_t":"~/s","cmps":{"l":{"p":"light","schema":"json","cmd_t":"~/set"}}}`), true)
	f.Add("lamp1/light/street_lamp/state", []byte(`{"state":"ON","brightness":255}`), false)
	f.Add("plain/bri", []byte("999"), false)
	f.Add("s/state", []byte(`{"t":[21.5]}`), false)
	f.Add("c/image", []byte("\xff\xd8\xff"), true)
	f.Fuzz(func(t *testing.T, topic string, payload []byte, retained bool) {
		a := New("")
		for _, m := range fuzzConfigs {
			if _, err := a.Decode(m.topic, []byte(m.payload), true); err != nil {
				t.Fatalf("learning %s: %v", m.topic, err)
			}
		}
		reps, err := a.Decode(topic, payload, retained)
		check(t, topic, reps, err)
		for _, sub := range a.Subscriptions() {
			for _, p := range [][]byte{payload, []byte("ON"), []byte(`{"state":"ON","brightness":1}`)} {
				reps, err := a.Decode(sub, p, retained)
				check(t, sub, reps, err)
			}
		}
		a.mu.Lock()
		keys := make([]string, 0, len(a.devs))
		for k := range a.devs {
			keys = append(keys, k)
		}
		a.mu.Unlock()
		for _, k := range keys {
			for _, cmd := range []devices.Command{
				{ID: "c", Device: devices.Device{Topic: k}, Light: &devices.LightState{On: devices.Bool(true), Brightness: devices.Int(37)}},
				{ID: "c", Device: devices.Device{Topic: k}, Play: &devices.Play{Volume: 70}},
				{ID: "c", Device: devices.Device{Topic: k}, Volume: devices.Int(10)},
			} {
				msgs, err := a.Encode(cmd)
				if err != nil {
					continue
				}
				for _, m := range msgs {
					if err := devices.CheckTopic(m.Topic); err != nil {
						t.Fatalf("Encode for %q: %v", k, err)
					}
				}
			}
		}
	})
}

// check asserts the Adapter contract (sample.CheckDecode).
func check(t *testing.T, topic string, reps []devices.Report, err error) {
	t.Helper()
	sample.CheckDecode(t, topic, reps, err)
}
