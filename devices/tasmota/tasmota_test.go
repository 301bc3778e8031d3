package tasmota

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

func TestDecode(t *testing.T) {
	on, off := devices.Bool(true), devices.Bool(false)
	tests := []struct {
		name, topic, payload string
		retained             bool
		want                 devices.Report   // Protocol filled in
		also                 []devices.Report // further reports (other relays)
		reason               devices.Reason
		detail               string
	}{
		{name: "lwt online", topic: "tele/den1/LWT", payload: "Online", want: devices.Report{Key: "den1", Availability: devices.Online}},
		{name: "lwt offline", topic: "tele/den1/LWT", payload: "Offline", retained: true, want: devices.Report{Key: "den1", Availability: devices.Offline}},
		{name: "lwt bad", topic: "tele/den1/LWT", payload: "Gone", reason: devices.ReasonWrongType, detail: `LWT: want "Online" or "Offline", got "Gone"`},
		{name: "lwt cleared", topic: "tele/den1/LWT", payload: "", reason: devices.ReasonIgnored},
		{name: "result", topic: "stat/den1/RESULT", payload: `{"POWER":"ON","Dimmer":50}`, want: devices.Report{Key: "den1", Channel: "1", Primary: true, Light: &devices.LightState{On: on, Brightness: devices.Int(50)}}},
		{name: "result power1 string 0", topic: "stat/den1/RESULT", payload: `{"POWER1":"0"}`, want: devices.Report{Key: "den1", Channel: "1", Primary: true, Light: &devices.LightState{On: off}}},
		{name: "result power number 1", topic: "stat/den1/RESULT", payload: `{"POWER":1}`, want: devices.Report{Key: "den1", Channel: "1", Primary: true, Light: &devices.LightState{On: on}}},
		{name: "dimmer abc", topic: "stat/den1/RESULT", payload: `{"Dimmer":"abc"}`, reason: devices.ReasonWrongType, detail: `"Dimmer": want a number 0-100, got "abc"`},
		{name: "dimmer 150", topic: "stat/den1/RESULT", payload: `{"Dimmer":150}`, reason: devices.ReasonWrongType, detail: `"Dimmer": want a number 0-100, got 150`},
		{name: "dimmer string 50", topic: "stat/den1/RESULT", payload: `{"Dimmer":"50"}`, reason: devices.ReasonWrongType},
		{name: "power 5", topic: "stat/den1/RESULT", payload: `{"POWER":5}`, reason: devices.ReasonWrongType, detail: `"POWER": want "ON" or "OFF", got 5`},
		{name: "power toggle", topic: "stat/den1/RESULT", payload: `{"POWER":"TOGGLE"}`, reason: devices.ReasonWrongType},
		{name: "result no light", topic: "stat/den1/RESULT", payload: `{"Timezone":7}`, reason: devices.ReasonIgnored},
		{name: "result truncated", topic: "stat/den1/RESULT", payload: `{"POWER":"ON"`, reason: devices.ReasonMalformed},
		{name: "result empty", topic: "stat/den1/RESULT", payload: ``, reason: devices.ReasonEmpty},
		{name: "power text", topic: "stat/den1/POWER", payload: "off", want: devices.Report{Key: "den1", Channel: "1", Primary: true, Light: &devices.LightState{On: off}}},
		{name: "power1 text", topic: "stat/den1/POWER1", payload: "ON", want: devices.Report{Key: "den1", Channel: "1", Primary: true, Light: &devices.LightState{On: on}}},
		{name: "power text bad", topic: "stat/den1/POWER", payload: "MAYBE", reason: devices.ReasonWrongType, detail: `POWER: want "ON" or "OFF", got "MAYBE"`},
		{name: "power2 text", topic: "stat/den1/POWER2", payload: "ON", want: devices.Report{Key: "den1", Channel: "2", Light: &devices.LightState{On: on}}},
		{name: "power33 text", topic: "stat/den1/POWER33", payload: "ON", reason: devices.ReasonIgnored},
		{name: "result relays", topic: "stat/den1/RESULT", payload: `{"POWER2":"OFF","Dimmer2":40}`, want: devices.Report{Key: "den1", Channel: "2", Light: &devices.LightState{On: off, Brightness: devices.Int(40)}}},
		{name: "state four relays", topic: "tele/den1/STATE", payload: `{"UptimeSec":5,"POWER1":"ON","POWER2":"OFF","POWER3":"ON","POWER4":"OFF"}`,
			want: devices.Report{Key: "den1", Channel: "1", Primary: true, Light: &devices.LightState{On: on}, Metrics: map[string]float64{"uptime_s": 5}},
			also: []devices.Report{{Key: "den1", Channel: "2", Light: &devices.LightState{On: off}}, {Key: "den1", Channel: "3", Light: &devices.LightState{On: on}}, {Key: "den1", Channel: "4", Light: &devices.LightState{On: off}}}},
		{name: "state relays 2 and 3 only", topic: "tele/den1/STATE", payload: `{"UptimeSec":5,"POWER2":"ON","POWER3":"OFF"}`,
			want: devices.Report{Key: "den1", Metrics: map[string]float64{"uptime_s": 5}},
			also: []devices.Report{{Key: "den1", Channel: "2", Light: &devices.LightState{On: on}}, {Key: "den1", Channel: "3", Light: &devices.LightState{On: off}}}},
		{name: "setoption4 dimmer", topic: "stat/den1/DIMMER", payload: `{"Dimmer":30}`, want: devices.Report{Key: "den1", Channel: "1", Primary: true, Light: &devices.LightState{Brightness: devices.Int(30)}}},
		{name: "state local time", topic: "tele/den1/STATE", payload: `{"Time":"2025-03-01T18:00:00","UptimeSec":60,"POWER":"OFF","Wifi":{"RSSI":80,"Signal":-60}}`,
			want: devices.Report{Key: "den1", Channel: "1", Primary: true, Time: time.Date(2025, 3, 1, 18, 0, 0, 0, time.UTC), TimeLocal: true, Light: &devices.LightState{On: off},
				Metrics: map[string]float64{"uptime_s": 60, "rssi_dbm": -60, "wifi_quality_pct": 80}}},
		{name: "state bad time", topic: "tele/den1/STATE", payload: `{"Time":"yesterday","UptimeSec":60}`, reason: devices.ReasonWrongType, detail: `"Time": want a time such as 2025-01-02T15:04:05, got "yesterday"`},
		{name: "state bad wifi", topic: "tele/den1/STATE", payload: `{"Wifi":{"Signal":"weak"}}`, reason: devices.ReasonWrongType, detail: `"Wifi.Signal": want a number, got "weak"`},
		{name: "state wifi not object", topic: "tele/den1/STATE", payload: `{"Wifi":3}`, reason: devices.ReasonWrongType},
		{name: "state nothing", topic: "tele/den1/STATE", payload: `{"Time":"2025-03-01T18:00:00","SleepMode":"Dynamic"}`, reason: devices.ReasonIgnored},
		{name: "state huge number", topic: "tele/den1/STATE", payload: `{"UptimeSec":1e999}`, reason: devices.ReasonWrongType},
		{name: "sensor arrays", topic: "tele/den1/SENSOR", payload: `{"Time":"2025-03-01T18:00:00+07:00","ENERGY":{"Power":[10,20],"Total":1.5}}`,
			want: devices.Report{Key: "den1", Channel: "1", Primary: true, Time: time.Date(2025, 3, 1, 18, 0, 0, 0, time.FixedZone("", 7*3600)), Metrics: map[string]float64{"power_w": 10, "energy_kwh": 1.5}},
			also: []devices.Report{{Key: "den1", Channel: "2", Time: time.Date(2025, 3, 1, 18, 0, 0, 0, time.FixedZone("", 7*3600)), Metrics: map[string]float64{"power_w": 20}}}},
		{name: "sensor bad energy", topic: "tele/den1/SENSOR", payload: `{"ENERGY":{"Power":"lots"}}`, reason: devices.ReasonWrongType, detail: `"ENERGY.Power": want a number or an array of numbers, got "lots"`},
		{name: "sensor bad array", topic: "tele/den1/SENSOR", payload: `{"ENERGY":{"Current":[1,"x"]}}`, reason: devices.ReasonWrongType, detail: `"ENERGY.Current"[1]: want a number, got "x"`},
		{name: "sensor generic", topic: "tele/den1/SENSOR", payload: `{"AM2301":{"Temperature":30.5,"Humidity":80,"Name":"x"},"TempUnit":"C"}`,
			want: devices.Report{Key: "den1", Metrics: map[string]float64{"am2301_temperature_c": 30.5, "am2301_humidity_pct": 80}}},
		{name: "status8", topic: "stat/den1/STATUS8", payload: `{"StatusSNS":{"ENERGY":{"Voltage":230}}}`, want: devices.Report{Key: "den1", Metrics: map[string]float64{"voltage_v": 230}}},
		{name: "status11", topic: "stat/den1/STATUS11", payload: `{"StatusSTS":{"POWER":"ON"}}`, want: devices.Report{Key: "den1", Channel: "1", Primary: true, Light: &devices.LightState{On: on}}},
		{name: "status11 missing", topic: "stat/den1/STATUS11", payload: `{}`, reason: devices.ReasonMissingField},
		{name: "status6", topic: "stat/den1/STATUS6", payload: `{}`, reason: devices.ReasonIgnored},
		{name: "info1", topic: "tele/den1/INFO1", payload: `{"Module":"x"}`, reason: devices.ReasonIgnored},
		{name: "cmnd", topic: "cmnd/den1/POWER", payload: ``, reason: devices.ReasonIgnored},
		{name: "cmnd retained", topic: "cmnd/den1/POWER", payload: `ON`, retained: true, reason: devices.ReasonIgnored, detail: `RETAINED command POWER "ON" on "den1": it makes the device switch by itself at every reconnect (ghost switching); clear it with an empty retained message`},
		{name: "binary", topic: "tele/den1/STATE", payload: "\xff\xfe", reason: devices.ReasonBinary},
		{name: "unknown prefix", topic: "foo/den1/STATE", payload: "{}", reason: devices.ReasonUnknownTopic},
		{name: "too deep", topic: "tele/a/b/STATE", payload: "{}", reason: devices.ReasonUnknownTopic},
		{name: "custom fulltopic", topic: "std/dev400/s/stat/RESULT", payload: `{"POWER":"ON"}`, want: devices.Report{Key: "dev400", Channel: "1", Primary: true, Light: &devices.LightState{On: on}}},
		{name: "custom fulltopic tele", topic: "std/dev400/s/tele/LWT", payload: `Online`, want: devices.Report{Key: "dev400", Availability: devices.Online}},
		{name: "discovery sensors unknown mac", topic: "tasmota/discovery/AABBCCDDEEFF/sensors", payload: `{"sn":{}}`, reason: devices.ReasonIgnored},
		{name: "discovery other", topic: "tasmota/discovery/AABBCCDDEEFF/x", payload: `{}`, reason: devices.ReasonIgnored},
		{name: "discovery bad topic", topic: "tasmota/discovery/AABBCCDDEEFF", payload: `{}`, reason: devices.ReasonUnknownTopic},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := New()
			if err := a.AddDevice("dev400", "std/%topic%/s/%prefix%/"); err != nil {
				t.Fatal(err)
			}
			reps, err := a.Decode(tt.topic, []byte(tt.payload), tt.retained)
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
			want := append([]devices.Report{tt.want}, tt.also...)
			if err != nil || len(reps) != len(want) {
				t.Fatalf("Decode = %v, %v; want %d reports", reps, err, len(want))
			}
			for i := range want {
				want[i].Protocol = devices.Tasmota
				if g, w := sample.Dump(reps[i]), sample.Dump(want[i]); g != w {
					t.Fatalf("report %d\n got %s\nwant %s", i, g, w)
				}
			}
		})
	}
}

func TestDecodeHostile(t *testing.T) {
	a := New()
	for _, h := range sample.HostileJSON() {
		for _, topic := range []string{"stat/x/RESULT", "tele/x/STATE", "tele/x/SENSOR", "stat/x/STATUS8", "tasmota/discovery/AABBCCDDEEFF/config"} {
			reps, err := a.Decode(topic, h.Payload, false)
			sample.CheckDecode(t, topic, reps, err)
			if sample.Reason(err) != h.Reason {
				t.Errorf("%s on %s: err = %v, want %s", h.Name, topic, err, h.Reason)
			}
		}
	}
}

const nspanel = `{"ip":"192.168.1.67","dn":"Tasmota","fn":["Den cong",null],"hn":"den-cong","mac":"0CDC7E31E4CC","md":"Sonoff Basic","ofln":"Mat","onln":"Song","state":["TAT","BAT","DAO","GIU"],"sw":"12.2.0","t":"den_cong","ft":"hamlet/%topic%/%prefix%/","tp":["cmnd","stat","tele"],"rl":[2,0,0],"lt_st":1}`

func TestDiscovery(t *testing.T) {
	a := New()
	before := a.Subscriptions()
	reps, err := a.Decode("tasmota/discovery/0CDC7E31E4CC/config", []byte(nspanel), true)
	if err != nil || len(reps) != 1 {
		t.Fatalf("Decode config = %v, %v", reps, err)
	}
	r := reps[0]
	if r.Key != "den_cong" || r.Kind != devices.Light || r.Discovery.ID != "tasmota-0cdc7e31e4cc" || r.Discovery.Name != "Den cong" ||
		r.Discovery.FullTopic != "hamlet/%topic%/%prefix%/" || r.Discovery.Extra["relays"] != "1" || r.Discovery.Extra["lwt_online"] != "Song" {
		t.Fatalf("discovery report %s", sample.Dump(r))
	}
	select {
	case <-a.Learned():
	default:
		t.Fatal("Learned not signalled for a new FullTopic")
	}
	after := a.Subscriptions()
	if len(after) != len(before)+3 || !strings.Contains(strings.Join(after, " "), "hamlet/+/tele/#") {
		t.Fatalf("Subscriptions %v -> %v", before, after)
	}
	// The learned FullTopic, LWT strings and StateTexts are used.
	check := func(topic, payload string, want string) {
		t.Helper()
		reps, err := a.Decode(topic, []byte(payload), false)
		if err != nil || len(reps) != 1 || !strings.Contains(sample.Dump(reps[0]), want) {
			t.Fatalf("Decode(%s %s) = %v, %v; want %s", topic, payload, reps, err, want)
		}
	}
	check("hamlet/den_cong/tele/LWT", "Song", `"Availability":"online"`)
	check("hamlet/den_cong/tele/LWT", "Mat", `"Availability":"offline"`)
	check("hamlet/den_cong/stat/POWER", "BAT", `"on":true`)
	check("hamlet/den_cong/stat/RESULT", `{"POWER":"TAT"}`, `"on":false`)
	check("tasmota/discovery/0CDC7E31E4CC/sensors", `{"sn":{"Time":"2022-11-28T16:17:32","ANALOG":{"Temperature1":23.2}},"ver":1}`, `"analog_temperature1_c":23.2`)
	msgs, err := a.Encode(devices.Command{Device: devices.Device{Topic: "den_cong"}, Light: &devices.LightState{On: devices.Bool(true)}})
	if err != nil || msgs[0].Topic != "hamlet/den_cong/cmnd/POWER" {
		t.Fatalf("Encode after discovery = %+v, %v", msgs, err)
	}
	// An empty retained config removes the device.
	reps, err = a.Decode("tasmota/discovery/0CDC7E31E4CC/config", nil, true)
	if err != nil || len(reps) != 1 || !reps[0].Discovery.Remove || reps[0].Key != "den_cong" {
		t.Fatalf("Decode empty config = %v, %v", reps, err)
	}
	if _, err := a.Decode("tasmota/discovery/0CDC7E31E4CC/sensors", []byte(`{"sn":{}}`), true); sample.Reason(err) != devices.ReasonIgnored {
		t.Fatalf("sensors after removal: %v", err)
	}
}

func TestDiscoveryBad(t *testing.T) {
	for payload, want := range map[string]string{
		`{"t":"x"}`:                  `"ft" (FullTopic) is missing`,
		`{"ft":"%prefix%/%topic%/"}`: `"t": want the device's topic`,
		`{"t":"x","ft":"%topic%/"}`:  `must contain %prefix% and %topic%`,
		`{"t":"x","ft":"%prefix%/%topic%/","tp":["a","b"]}`:     `"tp": want 3 prefixes`,
		`{"t":"x","ft":"%prefix%/%topic%/","tp":["a","b",""]}`:  `prefix "" must be one non-empty level`,
		`{"t":"x","ft":"%prefix%/#/%topic%/"}`:                  `wildcard`,
		`{"t":"x","ft":"%prefix%/%topic%/","rl":"many"}`:        `"rl": want a number or an array of numbers`,
		`{"t":"a/b","ft":"%prefix%/%topic%/"}`:                  `"t": want the device's topic`,
		`{"t":"x","ft":"%prefix%/%topic%/","state":[1,2]}`:      `"state": want an array of strings`,
		`{"t":"x","ft":"pre%prefix%/%topic%/"}`:                 `mixes a token with text`,
		`{"t":"x","ft":"%prefix%/%topic%/%topic%/"}`:            `repeats %topic%`,
		`{"t":"x","ft":"%prefix%//%topic%/"}`:                   `empty level`,
		`{"t":"x","ft":"%prefix%/%topic%/","lt_st":"dimmer"}`:   `"lt_st": want a number`,
		`{"t":"x","ft":"%prefix%/%topic%/","hn":["not","str"]}`: `"hn": want a string`,
	} {
		a := New()
		_, err := a.Decode("tasmota/discovery/AABBCCDDEEFF/config", []byte(payload), true)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("config %s: err = %v, want %q", payload, err, want)
		}
	}
	if _, err := New(WithoutDiscovery()).Decode("tasmota/discovery/AABBCCDDEEFF/config", []byte(nspanel), true); sample.Reason(err) != devices.ReasonIgnored {
		t.Errorf("discovery disabled: err = %v", err)
	}
	if subs := New(WithoutDiscovery()).Subscriptions(); strings.Contains(strings.Join(subs, " "), "discovery") {
		t.Errorf("discovery disabled: Subscriptions = %v", subs)
	}
}

func TestDiscoveryTableBounded(t *testing.T) {
	a := New()
	for i := range maxPatterns + 10 {
		cfg := fmt.Sprintf(`{"t":"d%d","ft":"x%d/%%prefix%%/%%topic%%/"}`, i, i)
		a.Decode(fmt.Sprintf("tasmota/discovery/%012X/config", i), []byte(cfg), true)
	}
	if n := len(a.Subscriptions()); n > 1+3*maxPatterns {
		t.Fatalf("%d subscriptions after a discovery flood", n)
	}
}

func TestAddDevice(t *testing.T) {
	a := New()
	for _, bad := range [][2]string{{"", ""}, {"a/b", ""}, {"x", "%topic%/"}, {"x", "%prefix%/+/%topic%/"}} {
		if err := a.AddDevice(bad[0], bad[1]); err == nil {
			t.Errorf("AddDevice(%q, %q) succeeded", bad[0], bad[1])
		}
	}
	if err := a.AddDevice("denky_D6C0C0", "emoncms/ch2i/factory/%topic%/%prefix%/"); err != nil {
		t.Fatal(err)
	}
	want := "tasmota/discovery/# emoncms/ch2i/factory/+/cmnd/# emoncms/ch2i/factory/+/stat/# emoncms/ch2i/factory/+/tele/# cmnd/+/# stat/+/# tele/+/#"
	if got := strings.Join(a.Subscriptions(), " "); got != want {
		t.Fatalf("Subscriptions =\n %s\nwant\n %s", got, want)
	}
}

func TestEncode(t *testing.T) {
	a := New()
	dev := devices.Device{ID: "den1", Topic: "den_ngo3_01"}
	custom := devices.Device{ID: "den2", Topic: "dev400", FullTopic: "std/%topic%/s/%prefix%/"}
	tests := []struct {
		dev     devices.Device
		light   *devices.LightState
		want    string // topic payload; …
		wantErr string
	}{
		{dev: dev, light: &devices.LightState{On: devices.Bool(true)}, want: "cmnd/den_ngo3_01/POWER ON"},
		{dev: dev, light: &devices.LightState{On: devices.Bool(false), Brightness: devices.Int(40)}, want: "cmnd/den_ngo3_01/POWER OFF"},
		{dev: dev, light: &devices.LightState{On: devices.Bool(true), Brightness: devices.Int(40)}, want: "cmnd/den_ngo3_01/Dimmer 40; cmnd/den_ngo3_01/POWER ON"},
		{dev: dev, light: &devices.LightState{Brightness: devices.Int(0)}, want: "cmnd/den_ngo3_01/Dimmer 0"},
		{dev: custom, light: &devices.LightState{On: devices.Bool(false)}, want: "std/dev400/s/cmnd/POWER OFF"},
		{dev: dev, light: &devices.LightState{Brightness: devices.Int(101)}, wantErr: "outside 0-100"},
		{dev: dev, light: nil, wantErr: "only light commands"},
		{dev: dev, light: &devices.LightState{}, wantErr: "only light commands"},
		{dev: devices.Device{ID: "x"}, light: &devices.LightState{On: devices.Bool(true)}, wantErr: "no topic"},
		{dev: devices.Device{Topic: "a+"}, light: &devices.LightState{On: devices.Bool(true)}, wantErr: "wildcard"},
		{dev: devices.Device{Topic: "x", FullTopic: "%prefix%/%hostname%/"}, light: &devices.LightState{On: devices.Bool(true)}, wantErr: "needs %hostname%"},
		// Channels: relay 2 is POWER2 and Dimmer2 only; relay 1 is POWER.
		{dev: devices.Device{ID: "tu-2", Topic: "tu", Channel: "2"}, light: &devices.LightState{On: devices.Bool(false)}, want: "cmnd/tu/POWER2 OFF"},
		{dev: devices.Device{ID: "tu-2", Topic: "tu", Channel: "2"}, light: &devices.LightState{On: devices.Bool(true), Brightness: devices.Int(60)}, want: "cmnd/tu/Dimmer2 60; cmnd/tu/POWER2 ON"},
		{dev: devices.Device{ID: "tu-1", Topic: "tu", Channel: "1"}, light: &devices.LightState{On: devices.Bool(true)}, want: "cmnd/tu/POWER ON"},
		{dev: devices.Device{ID: "tu-32", Topic: "tu", Channel: "32"}, light: &devices.LightState{On: devices.Bool(true)}, want: "cmnd/tu/POWER32 ON"},
		{dev: devices.Device{ID: "tu-33", Topic: "tu", Channel: "33"}, light: &devices.LightState{On: devices.Bool(true)}, wantErr: "relay number from 1 to 32"},
		{dev: devices.Device{ID: "tu-x", Topic: "tu", Channel: "l2"}, light: &devices.LightState{On: devices.Bool(true)}, wantErr: "relay number"},
	}
	for _, tt := range tests {
		msgs, err := a.Encode(devices.Command{Device: tt.dev, Light: tt.light})
		sample.CheckEncode(t, msgs, err)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Encode(%+v) err = %v, want %q", tt.light, err, tt.wantErr)
			}
			continue
		}
		var got []string
		for _, m := range msgs {
			if m.QoS != 1 {
				t.Errorf("QoS %d", m.QoS)
			}
			got = append(got, m.Topic+" "+string(m.Payload))
		}
		if strings.Join(got, "; ") != tt.want {
			t.Errorf("Encode = %q, want %q", strings.Join(got, "; "), tt.want)
		}
	}
}

// TestConcurrent runs discovery, decoding and encoding from several
// goroutines; run it with -race.
func TestConcurrent(t *testing.T) {
	a := New()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 200 {
				mac := fmt.Sprintf("%012X", w*1000+i%50)
				cfg := fmt.Sprintf(`{"t":"d%d","ft":"p%d/%%prefix%%/%%topic%%/"}`, i%50, i%5)
				a.Decode("tasmota/discovery/"+mac+"/config", []byte(cfg), true)
				a.Decode(fmt.Sprintf("p%d/tele/d%d/LWT", i%5, i%50), []byte("Online"), false)
				a.Encode(devices.Command{Device: devices.Device{Topic: fmt.Sprintf("d%d", i%50)}, Light: &devices.LightState{On: devices.Bool(true)}})
				a.Subscriptions()
			}
		})
	}
	wg.Wait()
}

func TestQueryState(t *testing.T) {
	a := New()
	sample.CheckQueryState(t, a, []sample.QueryCase{
		{Dev: devices.Device{ID: "den1", Topic: "den_ngo3_01"}, Want: "cmnd/den_ngo3_01/STATE"},
		{Dev: devices.Device{ID: "tu-2", Topic: "tu", Channel: "2"}, Want: "cmnd/tu/STATE"}, // its controller's state tells every relay
		{Dev: devices.Device{ID: "den2", Topic: "dev400", FullTopic: "std/%topic%/s/%prefix%/"}, Want: "std/dev400/s/cmnd/STATE"},
		{Dev: devices.Device{ID: "x"}, WantErr: "no topic"},
	})
}
