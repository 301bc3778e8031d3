package shelly

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

func decodeOne(t *testing.T, a *Adapter, topic, payload string) devices.Report {
	t.Helper()
	reps, err := a.Decode(topic, []byte(payload), false)
	if err != nil || len(reps) != 1 {
		t.Fatalf("Decode(%s, %q) = %+v, %v; want one report", topic, payload, reps, err)
	}
	return reps[0]
}

func TestDecode(t *testing.T) {
	a := New("")
	reps, err := a.Decode("pole/a/b/events/rpc", []byte(`{"src":"shellyplus1pm-aa","method":"NotifyStatus","params":{"ts":1700000000.5,"switch:0":{"output":true,"apower":35.5,"aenergy":{"total":12345.6}},"switch:1":{"output":false,"apower":2},"wifi":{"rssi":-61}}}`), false)
	if err != nil || len(reps) != 5 {
		t.Fatalf("NotifyStatus of two switches = %v, %v; want 2 discoveries, the device, 2 outputs", reps, err)
	}
	if d := reps[0].Discovery; d == nil || d.ID != "shellyplus1pm-aa-0" || reps[0].Channel != "0" || !reps[0].Primary || reps[1].Discovery.ID != "shellyplus1pm-aa-1" || reps[1].Channel != "1" {
		t.Errorf("outputs discovered as %+v / %+v", reps[0], reps[1])
	}
	dev, sw0, sw1 := reps[2], reps[3], reps[4]
	if dev.Key != "pole/a/b" || dev.Channel != "" || dev.Metrics["rssi_dbm"] != -61 || dev.Light != nil || dev.Discovery != nil {
		t.Errorf("device report = %+v", dev)
	}
	if sw0.Channel != "0" || !sw0.Primary || !*sw0.Light.On || sw0.Metrics["power_w"] != 35.5 || math.Abs(sw0.Metrics["energy_kwh"]-12.3456) > 1e-9 {
		t.Errorf("switch:0 = %+v %v", sw0, sw0.Metrics)
	}
	if sw1.Channel != "1" || sw1.Primary || *sw1.Light.On || sw1.Metrics["power_w"] != 2 {
		t.Errorf("switch:1 = %+v %v", sw1, sw1.Metrics)
	}
	if want := time.Unix(1700000000, 500e6).UTC(); !dev.Time.Equal(want) || !sw1.Time.Equal(want) {
		t.Errorf("time = %v, want %v", dev.Time, want)
	}
	r := decodeOne(t, a, "plus/events/rpc", `{"src":"shellyplus1pm-bb","method":"NotifyStatus","params":{"ts":1700000000.5,"wifi":{"rssi":-61}}}`)
	if r.Discovery == nil || r.Discovery.ID != "shellyplus1pm-bb" || r.Discovery.Topic != "plus" {
		t.Errorf("first sight discovery = %+v", r.Discovery)
	}
	if r := decodeOne(t, a, "pole/a/b/events/rpc", `{"src":"shellyplus1pm-aa","method":"NotifyStatus","params":{"ts":1.61,"switch:0":{"id":0}}}`); r.Discovery != nil || !r.Time.IsZero() || r.Light != nil || r.Channel != "0" {
		t.Errorf("second sight with ts since boot = %+v, want no discovery, zero time, no light", r)
	}
	r = decodeOne(t, a, "shellyplus1-x/events/rpc", `{"src":"shellyplus1-x","method":"NotifyEvent","params":{"ts":1700000001.0,"events":[{"component":"input:0","id":0,"event":"single_push","ts":1700000001.25},{"component":"input:0","event":"long_push"}]}}`)
	if len(r.Events) != 2 || r.Events[0].Type != "single_push" || r.Events[0].Ref != "input:0" || r.Events[0].Time.UnixMilli() != 1700000001250 || r.Events[1].Time.Unix() != 1700000001 {
		t.Errorf("NotifyEvent = %+v", r.Events)
	}
	reps, _ = a.Decode("dimmer/events/rpc", []byte(`{"src":"shellyprodm1pm-y","method":"NotifyStatus","params":{"light:0":{"output":true,"brightness":49.6}}}`), false)
	if len(reps) != 2 || reps[0].Kind != devices.Light || reps[0].Discovery.ID != "shellyprodm1pm-y" || reps[1].Channel != "0" || *reps[1].Light.Brightness != 50 {
		t.Errorf("dimmer = %v", reps)
	}
	r = decodeOne(t, a, "m/status/em1:0", `{"id":0,"act_power":-120.5,"voltage":231,"current":0.6,"pf":0.87,"freq":50}`)
	if r.Metrics["power_w"] != -120.5 || r.Metrics["power_factor"] != 0.87 || r.Light != nil {
		t.Errorf("em1 = %+v", r)
	}
	r = decodeOne(t, a, "hamletd/rpc", `{"id":"cmd-7","src":"shellyprodm1pm-y","dst":"hamletd","error":{"code":-105,"message":"Method not found"}}`)
	if r.Key != "dimmer" || r.Ack == nil || r.Ack.ID != "cmd-7" || r.Ack.OK || r.Ack.Error != "-105 Method not found" {
		t.Errorf("error response = %+v %+v", r, r.Ack)
	}
	r = decodeOne(t, a, "shellies/sw-1/relay/0/energy", "6000")
	if r.Metrics["energy_kwh"] != 0.1 {
		t.Errorf("Gen1 energy Wmin = %v, want 0.1 kWh", r.Metrics)
	}
	r = decodeOne(t, a, "shellies/announce", `{"id":"shelly1-B929CC","model":"SHSW-1","mac":"98F4ABB929CC","ip":"192.168.1.5","new_fw":false,"fw_ver":"20210115-103659/v1.9.4@e2732e05"}`)
	if r.Key != "shellies/shelly1-B929CC" || r.Discovery.Model != "SHSW-1" || r.Discovery.Extra["ip"] != "192.168.1.5" {
		t.Errorf("announce = %+v", r.Discovery)
	}
}

func TestDecodeErrors(t *testing.T) {
	a := New("")
	huge := strings.Repeat("1", devices.MaxPayload+1)
	tests := []struct {
		topic, payload string
		want           devices.Reason
		detail         string
	}{
		{"x/online", "1", devices.ReasonWrongType, `x/online: "1" is neither true nor false`},
		{"x/online", "", devices.ReasonEmpty, "cleared"},
		{"x/online", huge, devices.ReasonTooLarge, "more than"},
		{"x/online", "\xff", devices.ReasonBinary, "not UTF-8"},
		{"x/events/rpc", `{"method":"NotifyStatus","params":{"switch:0":{"output":"yes"}}}`, devices.ReasonWrongType, `switch:0: "params.switch:0.output": want true or false, got "yes"`},
		{"x/events/rpc", `{"method":"NotifyStatus","params":{"switch:0":{"apower":"35"}}}`, devices.ReasonWrongType, `"params.switch:0.apower": want a number, got "35"`},
		{"x/events/rpc", `{"method":"NotifyStatus","params":{"switch:0":{"aenergy":{"total":[1]}}}}`, devices.ReasonWrongType, `"params.switch:0.aenergy.total"`},
		{"x/events/rpc", `{"method":"NotifyStatus","params":{"light:0":{"brightness":101}}}`, devices.ReasonWrongType, `want a number 0-100, got 101`},
		{"x/events/rpc", `{"method":"NotifyStatus","params":{"switch:0":5}}`, devices.ReasonWrongType, `"params.switch:0": want an object`},
		{"x/events/rpc", `{"method":"NotifyStatus","params":{"ts":"now"}}`, devices.ReasonWrongType, `"params.ts"`},
		{"x/events/rpc", `{"method":"NotifyStatus"}`, devices.ReasonMissingField, `"params" missing`},
		{"x/events/rpc", `{"params":{}}`, devices.ReasonMissingField, `"method" missing`},
		{"x/events/rpc", `{"method":"NotifyEvent","params":{"events":[{"component":"input:0"}]}}`, devices.ReasonMissingField, `params.events[0]: "event" missing`},
		{"x/events/rpc", `{"method":"NotifyEvent","params":{"events":{}}}`, devices.ReasonWrongType, `"params.events": want a list of events`},
		{"x/events/rpc", `{"method":"Ping","params":{}}`, devices.ReasonIgnored, `method "Ping" is not used`},
		{"x/events/rpc", `{"method":"NotifyStatus","params":{"switch:0":{"output":tru`, devices.ReasonMalformed, "invalid JSON"},
		{"x/events/rpc", ``, devices.ReasonEmpty, "empty payload"},
		{"/events/rpc", `{}`, devices.ReasonUnknownTopic, "without a topic prefix"},
		{"x/status/switch:0", `[]`, devices.ReasonMalformed, "want a JSON object"},
		{"frigate/cam/status/detect", `online`, devices.ReasonUnknownTopic, "not a Shelly topic"},
		{"x/rpc", `{"id":1,"src":"a"}`, devices.ReasonMissingField, `neither "result" nor "error"`},
		{"x/rpc", `{"src":"a","result":{}}`, devices.ReasonMissingField, `"id" missing`},
		{"x/rpc", `{"id":{},"src":"a","result":{}}`, devices.ReasonWrongType, `"id": want a string or a number`},
		{"x/rpc", `{"id":1,"result":{}}`, devices.ReasonMissingField, `"src" missing`},
		{"x/rpc", `{"id":1,"src":"a","error":{"code":"bad"}}`, devices.ReasonWrongType, `"error.code"`},
		{"shellies/s/relay/0", "ON", devices.ReasonWrongType, `"ON" is not on, off or overpower`},
		{"shellies/s/relay/0/power", "a lot", devices.ReasonWrongType, "is not a number"},
		{"shellies/s/relay/x", "on", devices.ReasonIgnored, "channel"},
		{"shellies/s/light/0/status", `{"ison":1}`, devices.ReasonWrongType, `"ison": want true or false`},
		{"shellies/s/info", `{}`, devices.ReasonIgnored, "Gen1 topic not used"},
		{"shellies/s/relay/0/command", "on", devices.ReasonIgnored, "command topic"},
		{"shellies/announce", `{"id":"a/b"}`, devices.ReasonMissingField, "single topic level"},
		{"zigbee2mqtt/lamp", `{}`, devices.ReasonUnknownTopic, "not a Shelly topic"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %.20q", tt.topic, tt.payload), func(t *testing.T) {
			reps, err := a.Decode(tt.topic, []byte(tt.payload), false)
			de, ok := err.(*devices.DecodeError)
			if !ok || de.Reason != tt.want || !strings.Contains(de.Detail, tt.detail) {
				t.Fatalf("Decode = %+v, %v; want %s containing %q", reps, err, tt.want, tt.detail)
			}
		})
	}
}

func TestEncode(t *testing.T) {
	a := New("hamletd-khu10")
	for _, m := range []struct{ topic, payload string }{
		{"dim/events/rpc", `{"src":"shellypluswdus-1","method":"NotifyStatus","params":{"light:0":{"output":false}}}`},
		{"shellies/shelly1-AB", "on"},
		{"shellies/shellydimmer2-CD/light/0/status", `{"ison":true,"brightness":5}`},
	} {
		topic := m.topic
		if !strings.HasSuffix(topic, "/rpc") && !strings.HasSuffix(topic, "/status") {
			topic += "/relay/0"
		}
		if _, err := a.Decode(topic, []byte(m.payload), false); err != nil {
			t.Fatal(err)
		}
	}
	on := devices.Bool(true)
	tests := []struct {
		name   string
		topic  string
		light  *devices.LightState
		id     string
		want   string
		errHas string
	}{
		{"gen2 switch", "shellies/plus1pm", &devices.LightState{On: on}, "c1", `shellies/plus1pm/rpc {"id":"c1","method":"Switch.Set","params":{"id":0,"on":true},"src":"hamletd-khu10"}`, ""},
		{"gen2 switch brightness only", "plug", &devices.LightState{Brightness: devices.Int(0)}, "c2", `plug/rpc {"id":"c2","method":"Switch.Set","params":{"id":0,"on":false},"src":"hamletd-khu10"}`, ""},
		{"gen2 dimmer", "dim", &devices.LightState{On: on, Brightness: devices.Int(40)}, "c3", `dim/rpc {"id":"c3","method":"Light.Set","params":{"brightness":40,"id":0,"on":true},"src":"hamletd-khu10"}`, ""},
		{"gen1 relay", "shellies/shelly1-AB", &devices.LightState{On: devices.Bool(false), Brightness: devices.Int(70)}, "", `shellies/shelly1-AB/relay/0/command off`, ""},
		{"gen1 dimmer", "shellies/shellydimmer2-CD", &devices.LightState{Brightness: devices.Int(70)}, "", `shellies/shellydimmer2-CD/light/0/set {"brightness":70}`, ""},
		{"no id", "plug", &devices.LightState{On: on}, "", "", "has no id"},
		{"bad brightness", "plug", &devices.LightState{Brightness: devices.Int(-1)}, "c", "", "outside 0-100"},
		{"empty", "plug", &devices.LightState{}, "c", "", "neither on nor brightness"},
		{"wildcard", "a/#", &devices.LightState{On: on}, "c", "", "wildcard"},
		{"not a light", "plug", nil, "c", "", "only light commands"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs, err := a.Encode(devices.Command{ID: tt.id, Device: devices.Device{Topic: tt.topic}, Light: tt.light})
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("Encode = %+v, %v; want error containing %q", msgs, err, tt.errHas)
				}
				return
			}
			if err != nil || len(msgs) != 1 || msgs[0].Topic+" "+string(msgs[0].Payload) != tt.want || msgs[0].QoS != 1 {
				t.Fatalf("Encode = %+v, %v; want %s", msgs, err, tt.want)
			}
		})
	}
}

func TestSubscriptions(t *testing.T) {
	subs := strings.Join(New("hamletd-khu10").Subscriptions(), " ")
	for _, want := range []string{"shellies/#", "hamletd-khu10/rpc", "+/online", "+/+/+/+/events/rpc", "+/+/status/+"} {
		if !strings.Contains(" "+subs+" ", " "+want+" ") {
			t.Errorf("Subscriptions() = %s, missing %s", subs, want)
		}
	}
}

func TestConcurrent(t *testing.T) {
	a := New("")
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				p := fmt.Sprintf("p%d/%d", g, i%3)
				a.Decode(p+"/events/rpc", []byte(`{"src":"shellyplus1-`+p+`","method":"NotifyStatus","params":{"light:0":{"output":true}}}`), false)
				a.Decode("hamletd/rpc", []byte(`{"id":1,"src":"shellyplus1-`+p+`","result":{}}`), false)
				a.Encode(devices.Command{ID: "c", Device: devices.Device{Topic: p}, Light: &devices.LightState{On: devices.Bool(true)}})
			}
		}()
	}
	wg.Wait()
}

func TestQueryState(t *testing.T) {
	a := New("hamletd-khu10")
	if _, err := a.Decode("shellies/shelly1-AB/relay/0", []byte("on"), false); err != nil { // learned as Gen1
		t.Fatal(err)
	}
	sample.CheckQueryState(t, a, []sample.QueryCase{
		{Dev: devices.Device{ID: "plus1", Topic: "shellyplus1pm-a8"}, Want: "shellyplus1pm-a8/command status_update"},
		{Dev: devices.Device{ID: "pro-2", Topic: "shellypro4pm-02", Channel: "2"}, Want: "shellypro4pm-02/command status_update"},
		{Dev: devices.Device{ID: "gen1", Topic: "shellies/shelly1-AB"}, Want: "shellies/shelly1-AB/command update"},
		{Dev: devices.Device{ID: "x", Topic: "a/#"}, WantErr: "topic prefix"},
	})
}
