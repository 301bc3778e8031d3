package hass

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
)

// msg is one message fed to an adapter.
type msg struct {
	topic, payload string
}

// learn feeds configs to a fresh adapter and fails on any error.
func learn(t *testing.T, msgs ...msg) *Adapter {
	t.Helper()
	a := New("")
	for _, m := range msgs {
		if _, err := a.Decode(m.topic, []byte(m.payload), true); err != nil {
			t.Fatalf("learning %s: %v", m.topic, err)
		}
	}
	return a
}

// reason returns the DecodeError reason of err ("" for nil) and fails when
// err is another type.
func reason(t *testing.T, err error) devices.Reason {
	t.Helper()
	if err == nil {
		return ""
	}
	var de *devices.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("error %v (%T) is not a *devices.DecodeError", err, err)
	}
	return de.Reason
}

func one(t *testing.T, a *Adapter, topic, payload string) devices.Report {
	t.Helper()
	reps, err := a.Decode(topic, []byte(payload), false)
	if err != nil || len(reps) != 1 {
		t.Fatalf("Decode(%s, %q) = %+v, %v; want one report", topic, payload, reps, err)
	}
	return reps[0]
}

const esphomeLight = `{"schema":"json","supported_color_modes":["brightness"],"name":"Street Lamp","stat_t":"~/state","cmd_t":"~/command","~":"lamp1/light/street_lamp","avty_t":"lamp1/status","uniq_id":"ESPlightstreet_lamp","dev":{"ids":"a0b1c2d3e4f5","name":"Lamp 1","sw":"2024.10.0","mdl":"esp32","mf":"Espressif"}}`

func TestESPHomeNodeIsOneLightDevice(t *testing.T) {
	a := learn(t,
		msg{"homeassistant/light/lamp1/street_lamp/config", esphomeLight},
		msg{"homeassistant/sensor/lamp1/lamp_power/config", `{"dev_cla":"power","unit_of_meas":"kW","stat_t":"lamp1/sensor/lamp_power/state","avty_t":"lamp1/status","uniq_id":"ESPsensorlamp_power","dev":{"ids":"a0b1c2d3e4f5"}}`},
		msg{"homeassistant/sensor/lamp1/wifi_signal/config", `{"dev_cla":"signal_strength","unit_of_meas":"dBm","stat_t":"lamp1/sensor/wifi_signal/state","uniq_id":"ESPsensorwifi_signal","dev":{"ids":"a0b1c2d3e4f5"}}`},
		msg{"homeassistant/sensor/lamp1/lamp_energy/config", `{"dev_cla":"energy","unit_of_meas":"Wh","stat_t":"lamp1/sensor/lamp_energy/state","uniq_id":"ESPsensorlamp_energy","dev":{"ids":"a0b1c2d3e4f5"}}`},
		msg{"homeassistant/sensor/lamp1/case_temp/config", `{"dev_cla":"temperature","unit_of_meas":"°F","stat_t":"lamp1/sensor/case_temp/state","uniq_id":"ESPsensorcase_temp","dev":{"ids":"a0b1c2d3e4f5"}}`},
		msg{"homeassistant/sensor/lamp1/uptime/config", `{"unit_of_meas":"s","stat_t":"lamp1/sensor/uptime/state","uniq_id":"ESPsensoruptime","dev":{"ids":"a0b1c2d3e4f5"}}`},
	)
	if len(a.devs) != 1 {
		t.Fatalf("devices = %d, want 1 (one ESPHome node)", len(a.devs))
	}
	d := a.devs["lamp1"]
	if d == nil || d.protocol != devices.ESPHome || d.kind() != devices.Light {
		t.Fatalf("device = %+v, want ESPHome light lamp1", d)
	}
	tests := []struct {
		topic, payload string
		metric         string
		want           float64
	}{
		{"lamp1/sensor/lamp_power/state", "0.035", "power_w", 35},
		{"lamp1/sensor/wifi_signal/state", "-61", "rssi_dbm", -61},
		{"lamp1/sensor/lamp_energy/state", "1234.5", "energy_kwh", 1.2345},
		{"lamp1/sensor/case_temp/state", "212", "temperature_c", 100},
		{"lamp1/sensor/uptime/state", "900", "uptime", 900},
	}
	for _, tt := range tests {
		r := one(t, a, tt.topic, tt.payload)
		if r.Key != "lamp1" || r.Protocol != devices.ESPHome {
			t.Errorf("%s: key %q protocol %q, want lamp1 esphome", tt.topic, r.Key, r.Protocol)
		}
		if got := r.Metrics[tt.metric]; got < tt.want-1e-9 || got > tt.want+1e-9 {
			t.Errorf("%s: metrics %v, want %s=%g", tt.topic, r.Metrics, tt.metric, tt.want)
		}
	}
	r := one(t, a, "lamp1/light/street_lamp/state", `{"color_mode":"brightness","state":"ON","brightness":128,"color":{}}`)
	if r.Light == nil || !*r.Light.On || *r.Light.Brightness != 50 {
		t.Errorf("light state = %+v, want on at 50", r.Light)
	}
	r = one(t, a, "lamp1/status", "offline")
	if r.Availability != devices.Offline || r.Key != "lamp1" {
		t.Errorf("status offline = %+v", r)
	}
	subs := strings.Join(a.Subscriptions(), " ")
	for _, want := range []string{"homeassistant/#", "esphome/discover/#", "lamp1/status", "lamp1/light/street_lamp/state", "lamp1/sensor/lamp_power/state"} {
		if !strings.Contains(subs, want) {
			t.Errorf("Subscriptions() = %s, missing %s", subs, want)
		}
	}
	if strings.Contains(subs, "/command") {
		t.Errorf("Subscriptions() = %s subscribes to a command topic", subs)
	}
	select {
	case <-a.Learned():
	default:
		t.Error("Learned() did not signal after topics outside the prefix were learned")
	}
}

func TestDecodeErrors(t *testing.T) {
	a := learn(t,
		msg{"homeassistant/light/lamp1/street_lamp/config", esphomeLight},
		msg{"homeassistant/sensor/s/config", `{"stat_t":"s/state","dev_cla":"temperature"}`},
		msg{"homeassistant/binary_sensor/b/config", `{"stat_t":"b/state","pl_on":"open","pl_off":"closed"}`},
		msg{"homeassistant/camera/cam/config", `{"t":"cam/image","uniq_id":"cam1"}`},
		msg{"homeassistant/sensor/kw/config", `{"stat_t":"kw/state","dev_cla":"power","unit_of_meas":"kW"}`},
	)
	huge := strings.Repeat("x", devices.MaxPayload+1)
	tests := []struct {
		topic, payload string
		want           devices.Reason
		detail         string
	}{
		{"homeassistant/light/x/config", `{"stat_t":5}`, devices.ReasonWrongType, `"state_topic": want a string, got 5`},
		{"homeassistant/light/x/config", `{"stat_t":"a/#"}`, devices.ReasonWrongType, "wildcard"},
		{"homeassistant/light/x/config", `{"schema":"json","bri_scl":0}`, devices.ReasonWrongType, `"brightness_scale": want a number 1-1e+06, got 0`},
		{"homeassistant/light/x/config", `{"schema":"json","bri_scl":1e300}`, devices.ReasonWrongType, `"brightness_scale"`},
		{"homeassistant/light/x/config", `{"schema":"xml"}`, devices.ReasonWrongType, `"schema"`},
		{"homeassistant/light/x/config", `{"avty_mode":"most"}`, devices.ReasonWrongType, `"availability_mode"`},
		{"homeassistant/light/x/config", `{"avty":[{"pl_avail":"up"}]}`, devices.ReasonMissingField, `availability[0]: "topic" is required`},
		{"homeassistant/light/x/config", `{"avty":"lamp/status"}`, devices.ReasonWrongType, `"availability"`},
		{"homeassistant/light/x/config", `{"dev":{"ids":[1,2]}}`, devices.ReasonWrongType, `"device.identifiers"`},
		{"homeassistant/light/x/config", `{"dev":{"cns":[["mac"]]}}`, devices.ReasonWrongType, `"device.connections"`},
		{"homeassistant/light/x/config", `{"~":5,"stat_t":"~/s"}`, devices.ReasonWrongType, `"~" (base topic)`},
		{"homeassistant/light/x/config", `{"schema":"json","stat_t":"x/state"`, devices.ReasonMalformed, "invalid JSON"},
		{"homeassistant/light/x/config", `[1,2]`, devices.ReasonMalformed, "want a JSON object"},
		{"homeassistant/light/x/config", "\xff\xfe{", devices.ReasonBinary, "not UTF-8"},
		{"homeassistant/light/x/config", huge, devices.ReasonTooLarge, "more than"},
		{"homeassistant/light/x/config", "", devices.ReasonIgnored, "never learned"},
		{"homeassistant/light/x y/config", `{}`, devices.ReasonMalformed, `"x y" has characters outside`},
		{"homeassistant/light/a/b/c/config", `{}`, devices.ReasonMalformed, "want <prefix>/<component>"},
		{"homeassistant/vacuum/v/config", `{"stat_t":"v/state"}`, devices.ReasonIgnored, `component "vacuum" has no meaning`},
		{"homeassistant/media_player/m/config", `{}`, devices.ReasonIgnored, "not a Home Assistant MQTT platform"},
		{"homeassistant/sensor/z/config", `{"stat_t":"zigbee2mqtt/x","o":{"name":"Zigbee2MQTT"}}`, devices.ReasonIgnored, "zigbee2mqtt adapter"},
		{"homeassistant/device/d/config", `{"dev":{"ids":"d"}}`, devices.ReasonMissingField, `"components"`},
		{"homeassistant/device/d/config", `{"dev":{"ids":"d"},"cmps":{"a":{"p":5,"stat_t":"x"}}}`, devices.ReasonMissingField, `"platform" (p) missing`},
		{"homeassistant/status", "online", devices.ReasonIgnored, "birth and will"},
		{"homeassistant/light/kitchen/set", `{"state":"ON"}`, devices.ReasonIgnored, "command topic"},
		{"homeassistant/light/kitchen/state", `{"state":"ON"}`, devices.ReasonUnknownTopic, "no discovery config"},
		{"zigbee2mqtt/lamp", `{"state":"ON"}`, devices.ReasonUnknownTopic, "no discovery config"},
		{"esphome/discover", "", devices.ReasonIgnored, "discovery request"},
		{"esphome/discover/n1", `{"name":7}`, devices.ReasonWrongType, `"name": want a string`},
		{"esphome/discover/n1", `{"port":"6053"}`, devices.ReasonWrongType, `"port"`},
		{"esphome/discover/n1", ``, devices.ReasonIgnored, "cleared"},
		{"esphome/discover/n 1", `{}`, devices.ReasonMalformed, "node name"},
		{"lamp1/light/street_lamp/state", `{"state":"DIM"}`, devices.ReasonWrongType, `"state": want "ON" or "OFF", got "DIM"`},
		{"lamp1/light/street_lamp/state", `{"state":1}`, devices.ReasonWrongType, `"state": want a string, got 1`},
		{"lamp1/light/street_lamp/state", `{"brightness":300}`, devices.ReasonWrongType, `"brightness": want a number 0-255, got 300`},
		{"lamp1/light/street_lamp/state", `{"brightness":-1}`, devices.ReasonWrongType, `"brightness"`},
		{"lamp1/light/street_lamp/state", `{"state":"ON"`, devices.ReasonMalformed, "light lamp1/street_lamp: invalid JSON"},
		{"lamp1/light/street_lamp/state", ``, devices.ReasonEmpty, "empty payload"},
		{"lamp1/light/street_lamp/command", `{"state":"ON"}`, devices.ReasonIgnored, "command topic"},
		{"lamp1/status", "Online", devices.ReasonWrongType, `availability "Online" is neither "online" nor "offline"`},
		{"lamp1/status", "", devices.ReasonEmpty, "empty availability"},
		{"s/state", "nan", devices.ReasonWrongType, `state "nan" is not a finite number`},
		{"s/state", "unavailable", devices.ReasonWrongType, "not a finite number"},
		{"s/state", "1e999", devices.ReasonWrongType, "not a finite number"},
		{"s/state", " ", devices.ReasonEmpty, "empty state"},
		{"kw/state", "1e308", devices.ReasonWrongType, "overflows as power_w"},
		{"b/state", "ON", devices.ReasonWrongType, `state "ON" is neither "open" nor "closed"`},
		{"cam/image", "\xff\xd8\xff\xe0JFIF", devices.ReasonBinary, "camera image of 8 bytes"},
		{"cam/image", "aGVsbG8=", devices.ReasonIgnored, "images are not decoded"},
		{"s/state", huge, devices.ReasonTooLarge, "more than"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %.20q", tt.topic, tt.payload), func(t *testing.T) {
			reps, err := a.Decode(tt.topic, []byte(tt.payload), false)
			if got := reason(t, err); got != tt.want || !strings.Contains(err.Error(), tt.detail) {
				t.Fatalf("Decode = %+v, %v; want %s containing %q", reps, err, tt.want, tt.detail)
			}
		})
	}
}

func TestAbbreviationsAndBaseTopic(t *testing.T) {
	a := learn(t, msg{"homeassistant/light/node7/lamp/config", `{"~":"yard/lamp","schema":"json","bri_scl":100,"brightness":true,"stat_t":"~/state","cmd_t":"~/set","json_attr_t":"attrs/~",` +
		`"avty":[{"t":"~/avail","pl_avail":"up","pl_not_avail":"down"},{"t":"yard/bridge","pl_avail":"1","pl_not_avail":"0"}],"avty_mode":"all",` +
		`"dev":{"ids":["yard-01","alt"],"name":"Yard","mf":"Acme","mdl":"L1","sw":"3.1"}}`})
	e := a.entities["homeassistant/light/node7/lamp/config"]
	if e == nil {
		t.Fatal("entity not learned")
	}
	if e.stateTopic != "yard/lamp/state" || e.commandTopic != "yard/lamp/set" || e.scale != 100 || !e.brightness {
		t.Errorf("entity = %+v", e)
	}
	if len(e.avail) != 2 || e.avail[0].topic != "yard/lamp/avail" || e.avail[0].online != "up" || e.avail[1].offline != "0" {
		t.Errorf("availability = %+v", e.avail)
	}
	d := a.devs["yard-01"]
	if d == nil || d.info.name != "Yard" || d.info.model != "L1" || d.info.firmware != "3.1" || d.info.manufacturer != "Acme" {
		t.Fatalf("device = %+v", d)
	}
	r := one(t, a, "yard/lamp/state", `{"state":"ON","brightness":42}`)
	if *r.Light.Brightness != 42 {
		t.Errorf("brightness with scale 100 = %d, want 42", *r.Light.Brightness)
	}
	// availability_mode all: online only once both topics are online.
	if reps, err := a.Decode("yard/lamp/avail", []byte("up"), true); err != nil || len(reps) != 0 {
		t.Errorf("first of two availability topics = %+v, %v; want no decision yet", reps, err)
	}
	if r := one(t, a, "yard/bridge", "1"); r.Availability != devices.Online {
		t.Errorf("both online = %+v", r)
	}
	if r := one(t, a, "yard/bridge", "0"); r.Availability != devices.Offline {
		t.Errorf("one offline = %+v", r)
	}
}

func TestSharedStateTopicWithTemplates(t *testing.T) {
	a := learn(t,
		msg{"homeassistant/sensor/bedT/config", `{"device_class":"temperature","state_topic":"bed/state","unit_of_measurement":"°C","value_template":"{{ value_json.temperature}}","dev":{"ids":"bed"}}`},
		msg{"homeassistant/sensor/bedH/config", `{"device_class":"humidity","state_topic":"bed/state","unit_of_measurement":"%","value_template":"{{ value_json['hum'] | float }}","dev":{"ids":"bed"}}`},
		msg{"homeassistant/sensor/bedX/config", `{"state_topic":"bed/state","value_template":"{{ value_json.t if value_json.t else 0 }}","dev":{"ids":"bed"}}`},
	)
	r := one(t, a, "bed/state", `{"temperature":23.2,"hum":"43.7"}`)
	if r.Metrics["temperature_c"] != 23.2 || r.Metrics["humidity_pct"] != 43.7 || len(r.Metrics) != 2 {
		t.Errorf("metrics = %v", r.Metrics)
	}
	if _, err := a.Decode("bed/state", []byte(`{"other":1}`), false); reason(t, err) != devices.ReasonMissingField {
		t.Errorf("missing template key: %v, want missing_field", err)
	}
}

func TestDeviceDiscovery(t *testing.T) {
	cfg := `{"dev":{"ids":"pole-9","name":"Pole 9"},"o":{"name":"pole2mqtt"},"~":"pole9","avty_t":"~/avail","stat_t":"~/state",` +
		`"cmps":{"lamp":{"p":"light","schema":"json","cmd_t":"~/lamp/set","brightness":true},` +
		`"volt":{"p":"sensor","dev_cla":"voltage","unit_of_meas":"V","val_tpl":"{{ value_json.voltage }}"},` +
		`"btn":{"p":"button","cmd_t":"~/btn"}}}`
	a := learn(t)
	reps, err := a.Decode("homeassistant/device/pole9/config", []byte(cfg), true)
	if err != nil || len(reps) != 1 || reps[0].Kind != devices.Light || reps[0].Key != "pole-9" {
		t.Fatalf("device config = %+v, %v", reps, err)
	}
	if got := reps[0].Discovery.Extra["entities"]; got != "light/lamp,sensor/volt" {
		t.Errorf("entities = %q", got)
	}
	r := one(t, a, "pole9/state", `{"state":"OFF","voltage":229.5}`)
	if *r.Light.On || r.Metrics["voltage_v"] != 229.5 {
		t.Errorf("shared state topic = %+v", r)
	}
	msgs, err := a.Encode(devices.Command{ID: "c1", Device: devices.Device{Topic: "pole-9"}, Light: &devices.LightState{On: devices.Bool(true), Brightness: devices.Int(100)}})
	if err != nil || len(msgs) != 1 || msgs[0].Topic != "pole9/lamp/set" || string(msgs[0].Payload) != `{"brightness":255,"state":"ON"}` {
		t.Errorf("Encode = %+v, %v", msgs, err)
	}
	// Reducing a component to its platform removes it; the device stays.
	reps, err = a.Decode("homeassistant/device/pole9/config", []byte(`{"dev":{"ids":"pole-9"},"stat_t":"pole9/state","cmps":{"lamp":{"p":"light"},"volt":{"p":"sensor","dev_cla":"voltage"}}}`), true)
	if err != nil || len(reps) != 1 || reps[0].Kind != "" || reps[0].Discovery.Remove {
		t.Fatalf("reduced config = %+v, %v", reps, err)
	}
	// An empty config removes the rest, and the device.
	reps, err = a.Decode("homeassistant/device/pole9/config", nil, true)
	if err != nil || len(reps) != 1 || !reps[0].Discovery.Remove || reps[0].Discovery.ID != "pole-9" {
		t.Fatalf("cleared config = %+v, %v", reps, err)
	}
	if len(a.entities) != 0 || len(a.devs) != 0 || len(a.routes) != 0 {
		t.Errorf("table not empty after removal: %d entities, %d devices, %d routes", len(a.entities), len(a.devs), len(a.routes))
	}
}

func TestEncode(t *testing.T) {
	a := learn(t,
		msg{"homeassistant/light/lamp1/street_lamp/config", esphomeLight},
		msg{"homeassistant/light/plain/config", `{"cmd_t":"plain/set","bri_cmd_t":"plain/bri/set","bri_scl":1000,"pl_on":"1","pl_off":"0","uniq_id":"plain"}`},
		msg{"homeassistant/switch/relay/config", `{"cmd_t":"relay/set","stat_t":"relay/state","uniq_id":"relay"}`},
		msg{"homeassistant/siren/horn/config", `{"cmd_t":"horn/set","sup_vol":true,"uniq_id":"horn"}`},
		msg{"homeassistant/notify/board/config", `{"cmd_t":"board/text","uniq_id":"board"}`},
	)
	on, off := devices.Bool(true), devices.Bool(false)
	tests := []struct {
		name string
		cmd  devices.Command
		want string // topic=payload; ...
		err  string
	}{
		{"json on", devices.Command{Device: devices.Device{Topic: "lamp1"}, Light: &devices.LightState{On: on, Brightness: devices.Int(50)}}, `lamp1/light/street_lamp/command={"brightness":128,"state":"ON"}`, ""},
		{"json off", devices.Command{Device: devices.Device{Topic: "lamp1"}, Light: &devices.LightState{On: off}}, `lamp1/light/street_lamp/command={"state":"OFF"}`, ""},
		{"default schema", devices.Command{Device: devices.Device{Topic: "plain"}, Light: &devices.LightState{On: on, Brightness: devices.Int(30)}}, `plain/set=1; plain/bri/set=300`, ""},
		{"switch brightness only", devices.Command{Device: devices.Device{Topic: "relay"}, Light: &devices.LightState{Brightness: devices.Int(0)}}, `relay/set=OFF`, ""},
		{"siren play", devices.Command{Device: devices.Device{Topic: "horn"}, Play: &devices.Play{Volume: 80}}, `horn/set={"state":"ON","volume_level":0.8}`, ""},
		{"siren stop", devices.Command{Device: devices.Device{Topic: "horn"}, Stop: true}, `horn/set={"state":"OFF"}`, ""},
		{"notify play", devices.Command{Device: devices.Device{Topic: "board"}, Play: &devices.Play{URL: "http://x"}}, "", "no siren"},
		{"unknown device", devices.Command{Device: devices.Device{ID: "d", Topic: "nope"}, Light: &devices.LightState{On: on}}, "", "no discovery config learned"},
		{"empty light", devices.Command{Device: devices.Device{Topic: "lamp1"}, Light: &devices.LightState{}}, "", "neither on nor brightness"},
		{"bad brightness", devices.Command{Device: devices.Device{Topic: "lamp1"}, Light: &devices.LightState{Brightness: devices.Int(101)}}, "", "outside 0-100"},
		{"nothing", devices.Command{Device: devices.Device{Topic: "lamp1"}}, "", "sets nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs, err := a.Encode(tt.cmd)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Encode = %+v, %v; want error containing %q", msgs, err, tt.err)
				}
				return
			}
			var got []string
			for _, m := range msgs {
				got = append(got, m.Topic+"="+string(m.Payload))
			}
			if err != nil || strings.Join(got, "; ") != tt.want {
				t.Fatalf("Encode = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestBinarySensorEventsOnlyWhenLive(t *testing.T) {
	a := learn(t, msg{"homeassistant/binary_sensor/gate/config", `{"stat_t":"gate/state","dev_cla":"door","uniq_id":"gate"}`})
	reps, err := a.Decode("gate/state", []byte("ON"), true)
	if err != nil || len(reps[0].Events) != 0 || reps[0].Metrics["gate"] != 1 {
		t.Errorf("retained = %+v, %v; want metric gate=1 without event", reps, err)
	}
	r := one(t, a, "gate/state", "OFF")
	if len(r.Events) != 1 || r.Events[0].Type != "gate_off" {
		t.Errorf("live = %+v; want event gate_off", r)
	}
}

func TestConcurrentDecode(t *testing.T) {
	a := New("")
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				topic := fmt.Sprintf("homeassistant/light/n%d/l%d/config", g, i%5)
				a.Decode(topic, []byte(esphomeLight), true)
				a.Decode("lamp1/light/street_lamp/state", []byte(`{"state":"ON"}`), false)
				a.Encode(devices.Command{Device: devices.Device{Topic: "lamp1"}, Light: &devices.LightState{On: devices.Bool(true)}})
				a.Subscriptions()
				if i%7 == 0 {
					a.Decode(topic, nil, true)
				}
			}
		}()
	}
	wg.Wait()
}
