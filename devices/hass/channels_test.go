package hass

import (
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

// esphomeRelay is the discovery config ESPHome publishes for switch
// <object> of node tu-den (abbreviations, ~ base, avty_t, ESP<component>
// unique id: the shape of the real configs in ../shared/samples/esphome.jsonl).
func esphomeRelay(object, name string) msg {
	return msg{"homeassistant/switch/tu-den/" + object + "/config",
		`{"name":"` + name + `","stat_t":"~/state","cmd_t":"~/command","~":"tu-den/switch/` + object + `","avty_t":"tu-den/status","uniq_id":"ESPswitch` + object + `","dev":{"ids":"a0b1c2d3e4f6","name":"Tu den","sw":"2024.10.0","mdl":"esp32","mf":"Espressif"}}`}
}

func TestESPHomeRelaysAreChannels(t *testing.T) {
	a := New("")
	var disc []string
	for _, m := range []msg{esphomeRelay("relay_1", "Relay 1"), esphomeRelay("relay_2", "Relay 2"), esphomeRelay("relay_3", "Relay 3"),
		{"homeassistant/sensor/tu-den/wifi_signal/config", `{"dev_cla":"signal_strength","unit_of_meas":"dBm","stat_t":"tu-den/sensor/wifi_signal/state","uniq_id":"ESPsensorwifi_signal","dev":{"ids":"a0b1c2d3e4f6"}}`}} {
		reps, err := a.Decode(m.topic, []byte(m.payload), true)
		if err != nil {
			t.Fatalf("%s: %v", m.topic, err)
		}
		for _, r := range reps {
			sample.CheckDecode(t, m.topic, []devices.Report{r}, nil)
			if r.Discovery != nil {
				p := ""
				if r.Primary {
					p = "*"
				}
				disc = append(disc, r.Channel+p+"="+r.Discovery.ID)
			}
		}
	}
	// Learned one config at a time: a single output first, then one light per relay.
	want := "=tu-den relay_1*=tu-den-relay_1 relay_2=tu-den-relay_2 relay_1*=tu-den-relay_1 relay_2=tu-den-relay_2 relay_3=tu-den-relay_3 relay_1*=tu-den-relay_1 relay_2=tu-den-relay_2 relay_3=tu-den-relay_3"
	if got := strings.Join(disc, " "); got != want {
		t.Errorf("discovered\n got %s\nwant %s", got, want)
	}
	// Each relay's state topic is its own channel; the node's status and sensors are the device's.
	if r := one(t, a, "tu-den/switch/relay_2/state", "ON"); r.Channel != "relay_2" || r.Primary || r.Light == nil || !*r.Light.On {
		t.Errorf("relay_2 state = %s", sample.Dump(r))
	}
	if r := one(t, a, "tu-den/switch/relay_1/state", "OFF"); r.Channel != "relay_1" || !r.Primary || *r.Light.On {
		t.Errorf("relay_1 state = %s", sample.Dump(r))
	}
	if r := one(t, a, "tu-den/status", "offline"); r.Channel != "" || r.Availability != devices.Offline {
		t.Errorf("status = %s", sample.Dump(r))
	}
	if r := one(t, a, "tu-den/sensor/wifi_signal/state", "-70"); r.Channel != "" || r.Metrics["rssi_dbm"] != -70 {
		t.Errorf("sensor = %s", sample.Dump(r))
	}
	// A command to relay_2 goes to its command topic only; none to relay_9.
	for _, tc := range []struct{ channel, want string }{
		{"relay_2", "tu-den/switch/relay_2/command ON"},
		{"", "tu-den/switch/relay_1/command ON"},
		{"relay_9", "no light or switch"},
	} {
		msgs, err := a.Encode(devices.Command{Device: devices.Device{ID: "x", Protocol: devices.ESPHome, Topic: "tu-den", Channel: tc.channel}, Light: &devices.LightState{On: devices.Bool(true)}})
		got := ""
		if err != nil {
			got = err.Error()
		} else if len(msgs) == 1 {
			got = msgs[0].Topic + " " + string(msgs[0].Payload)
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("Encode channel %q = %q, want %q", tc.channel, got, tc.want)
		}
	}
	// Clearing relay_3's config removes that channel only.
	reps, err := a.Decode("homeassistant/switch/tu-den/relay_3/config", nil, true)
	if err != nil || len(reps) == 0 || reps[0].Channel != "relay_3" || !reps[0].Discovery.Remove {
		t.Fatalf("clear relay_3 = %v, %v", reps, err)
	}
}
