package sim

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

func TestTasmotaCustomFullTopicAndDiscovery(t *testing.T) {
	b := startBroker(t)
	f := startFleet(t, b.url, Spec{TasmotaDiscovery: true, Period: time.Hour, Devices: []DeviceSpec{
		{ID: "den-x", Protocol: devices.Tasmota, Topic: "den_x", FullTopic: "tasmota/%topic%/%prefix%/"}}})
	mac := strings.ToUpper(f.targets["den-x"].m.macHex())
	p := newProbe(t, b.url, "tasmota/#")
	p.waitPayload(t, "tasmota/den_x/tele/LWT", "Online")
	cfg := p.wait(t, "tasmota/discovery/"+mac+"/config", nil)
	if !cfg.retained || !hasAll(cfg.payload, `"t":"den_x"`, `"ft":"tasmota/%topic%/%prefix%/"`, `"tp":["cmnd","stat","tele"]`,
		`"mac":"`+mac+`"`, `"lt_st":1`, `"ofln":"Offline"`) {
		t.Errorf("discovery config (retained=%v) = %s", cfg.retained, cfg.payload)
	}
	p.wait(t, "tasmota/discovery/"+mac+"/sensors", func(s string) bool { return strings.HasPrefix(s, `{"sn":{"Time":`) })
	p.publish(t, "tasmota/den_x/cmnd/Dimmer", "25")
	p.waitPayload(t, "tasmota/den_x/stat/RESULT", `{"POWER":"ON","Dimmer":25}`)
}

func TestWriteConfig(t *testing.T) {
	f, err := New(Spec{Lights: 1, Speakers: 1, Cameras: 1, Zones: []string{"ngo-3"}}, Options{Broker: "tcp://127.0.0.1:1883"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.WriteConfig(&buf); err != nil {
		t.Fatal(err)
	}
	want := `zones:
  - {id: "ngo-3", name: "ngo-3"}
devices:
  - {id: "den-01", name: "Đèn đường số 1", kind: light, zone: "ngo-3", protocol: tasmota, topic: "den_01"}
  - {id: "cam-01", name: "Camera số 1", kind: camera, zone: "ngo-3", protocol: frigate, topic: "cam_01"}
  - {id: "loa-01", name: "Loa số 1", kind: speaker, zone: "ngo-3", protocol: native}
`
	if _, body, _ := strings.Cut(buf.String(), "\n"); body != want {
		t.Errorf("WriteConfig =\n%s\nwant\n%s", body, want)
	}
}

func TestFormats(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"a":1,"b":[1,2],"c":"x,y: z"}`, `{"a": 1, "b": [1, 2], "c": "x,y: z"}`},
		{`{"q":"say \"a,b\"","n":{}}`, `{"q": "say \"a,b\"", "n": {}}`},
	} {
		if got := string(pythonJSON([]byte(c.in))); got != c.want {
			t.Errorf("pythonJSON(%s) = %s, want %s", c.in, got, c.want)
		}
	}
	got := string(mustJSON(object{{"f", pyFloat(5)}, {"g", pyFloat(0.25)}, {"x", f3(1.5)}, {"p", f0(39.6)}, {"h", "<&>"}}))
	if want := `{"f":5.0,"g":0.25,"x":1.500,"p":40,"h":"<&>"}`; got != want {
		t.Errorf("object = %s, want %s", got, want)
	}
	for d, want := range map[time.Duration]string{0: "0T00:00:00", 90061 * time.Second: "1T01:01:01",
		18*time.Hour + 36*time.Minute + 12*time.Second: "0T18:36:12"} {
		if got := tasmotaUptime(d); got != want {
			t.Errorf("tasmotaUptime(%v) = %s, want %s", d, got, want)
		}
	}
}
