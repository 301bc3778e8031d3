package sim

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/internal/testutil"
)

func TestTasmotaAnswersCommands(t *testing.T) {
	b := startBroker(t)
	p := newProbe(t, b.url, "cmnd/#", "stat/#", "tele/#")
	f := startFleet(t, b.url, Spec{Lights: 1, Period: time.Hour})

	if m := p.wait(t, "cmnd/den_01/POWER", nil); m.payload != "" || m.retained {
		t.Errorf("boot cmnd POWER = %q retained=%v, want an empty, unretained payload", m.payload, m.retained)
	}
	p.wait(t, "tele/den_01/INFO1", func(s string) bool { return strings.Contains(s, `"GroupTopic":"cmnd/tasmotas/"`) })

	steps := []struct{ topic, payload, result, power string }{
		{"cmnd/den_01/POWER", "ON", `{"POWER":"ON","Dimmer":100}`, "ON"},
		{"cmnd/den_01/Dimmer", "40", `{"POWER":"ON","Dimmer":40}`, "ON"},
		{"cmnd/den_01/POWER", "", `{"POWER":"ON","Dimmer":40}`, "ON"}, // a status query
		{"cmnd/den_01/dimmer", "+", `{"POWER":"ON","Dimmer":50}`, "ON"},
		{"cmnd/den_01/Power", "toggle", `{"POWER":"OFF","Dimmer":50}`, "OFF"},
		{"cmnd/den_01/Dimmer", "0", `{"POWER":"OFF","Dimmer":0}`, "OFF"},
		{"cmnd/den_01/POWER", "ON", `{"POWER":"ON","Dimmer":50}`, "ON"}, // back to the last level
		{"cmnd/den_01/Backlog", "NoDelay;Power OFF;NoDelay;Dimmer 70", `{"POWER":"ON","Dimmer":70}`, "ON"},
		{"cmnd/tasmotas/Dimmer", "30", `{"POWER":"ON","Dimmer":30}`, "ON"}, // the group topic
	}
	for _, s := range steps {
		from := p.len()
		p.publish(t, s.topic, s.payload)
		_, i := p.waitFrom(t, from, s.topic+" "+s.payload+" → RESULT", func(g got) bool {
			return g.topic == "stat/den_01/RESULT" && g.payload == s.result
		})
		p.waitFrom(t, i, "stat POWER", func(g got) bool { return g.topic == "stat/den_01/POWER" && g.payload == s.power })
	}
	p.publish(t, "cmnd/den_01/Frobnicate", "1")
	p.waitPayload(t, "stat/den_01/RESULT", `{"Command":"Unknown"}`)
	p.publish(t, "cmnd/den_01/Status", "10")
	p.wait(t, "stat/den_01/STATUS10", func(s string) bool { return strings.HasPrefix(s, `{"StatusSNS":{"Time":`) })

	st, err := f.Status("den-01")
	if err != nil || !*st.Light.On || *st.Light.Brightness != 30 {
		t.Errorf("Status = %+v, %v; want on at 30", st.Light, err)
	}
	for _, m := range append(p.all("stat/den_01/RESULT"), p.all("stat/den_01/POWER")...) {
		if m.retained {
			t.Errorf("%s %q was retained", m.topic, m.payload)
		}
	}
}

func TestTasmotaTelemetry(t *testing.T) {
	b := startBroker(t)
	p := newProbe(t, b.url, "tele/#")
	loc, err := loadLocation(DefaultTimezone)
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now().Truncate(time.Second)
	startFleet(t, b.url, Spec{Devices: []DeviceSpec{{ID: "den-a", Protocol: "tasmota", On: true, Brightness: 50}},
		Period: 10 * time.Second, Speed: 100}) // a tick every 100 ms
	var sensors []got
	testutil.Eventually(t, waitLimit, "three SENSOR messages", func() bool { sensors = p.all("tele/den_a/SENSOR"); return len(sensors) >= 3 })
	var last float64
	for _, m := range sensors {
		var s struct {
			Time   string
			ENERGY struct{ Total, Today, Power, Voltage, Current float64 }
		}
		if err := json.Unmarshal([]byte(m.payload), &s); err != nil {
			t.Fatalf("SENSOR %s: %v", m.payload, err)
		}
		ts, err := time.ParseInLocation("2006-01-02T15:04:05", s.Time, loc)
		if err != nil {
			t.Fatalf("SENSOR Time %q is not Tasmota's local time without offset: %v", s.Time, err)
		}
		if ts.Before(before) || ts.After(time.Now()) {
			t.Errorf("SENSOR Time %s read in %s is not now", s.Time, loc)
		}
		e := s.ENERGY
		if e.Power < 18 || e.Power > 22 || e.Voltage < 220 || e.Voltage > 235 ||
			math.Abs(e.Current-e.Power/e.Voltage) > 0.002 || e.Total < last {
			t.Errorf("implausible ENERGY %+v (after Total %v)", e, last)
		}
		last = e.Total
	}
	state := p.wait(t, "tele/den_a/STATE", nil)
	if !hasAll(state.payload, `"POWER":"ON"`, `"Dimmer":50`, `"UptimeSec":`, `"Signal":-`, `"RSSI":`) {
		t.Errorf("STATE = %s", state.payload)
	}
}

func TestShellyAnswersRPC(t *testing.T) {
	b := startBroker(t)
	f := startFleet(t, b.url, Spec{Shelly: 1, Period: time.Hour})
	prefix := deviceOf(t, f, "shelly-01").Topic
	p := newProbe(t, b.url, "hamlet-test/rpc", prefix+"/events/rpc")

	p.publish(t, prefix+"/rpc", `{"id":7,"src":"hamlet-test","method":"Switch.Set","params":{"id":0,"on":true}}`)
	p.waitPayload(t, "hamlet-test/rpc", `{"id":7,"src":"`+prefix+`","dst":"hamlet-test","result":{"was_on":false}}`)
	p.wait(t, prefix+"/events/rpc", func(s string) bool {
		return hasAll(s, `"method":"NotifyStatus"`, `"switch:0":{"id":0,"output":true,"source":"MQTT"}`)
	})
	p.publish(t, prefix+"/rpc", `{"id":"s2","src":"hamlet-test","method":"Switch.GetStatus","params":{"id":0}}`)
	p.wait(t, "hamlet-test/rpc", func(s string) bool {
		return hasAll(s, `"id":"s2"`, `"output":true`, `"apower":60.`, `"aenergy":{"total":`)
	})
	p.publish(t, prefix+"/rpc", `{"id":8,"src":"hamlet-test","method":"Switch.Explode","params":{"id":0}}`)
	p.wait(t, "hamlet-test/rpc", func(s string) bool { return hasAll(s, `"id":8`, `"error":{"code":-105`) })
	p.publish(t, prefix+"/rpc", `{"id":9,"src":"hamlet-test","method":"Switch.Set","params":{"id":0}}`)
	p.wait(t, "hamlet-test/rpc", func(s string) bool { return hasAll(s, `"id":9`, `"error":{"code":-103`, "on") })
}

func TestESPHomeAnswersLightCommand(t *testing.T) {
	b := startBroker(t)
	startFleet(t, b.url, Spec{ESPHome: 1, Period: time.Hour})
	p := newProbe(t, b.url, "esp-den-01/#")
	from := p.len()
	p.publish(t, "esp-den-01/light/esp_den_01_light/command", `{"state": "ON", "brightness": 128}`)
	p.waitFrom(t, from, "state ON 128", func(g got) bool {
		return g.topic == "esp-den-01/light/esp_den_01_light/state" &&
			g.payload == `{"color_mode":"brightness","state":"ON","brightness":128,"color":{}}`
	})
	p.publish(t, "esp-den-01/light/esp_den_01_light/command", `{"state":`) // ignored, like ESPHome
	p.publish(t, "esp-den-01/light/esp_den_01_light/command", `{"state":"OFF"}`)
	p.waitPayload(t, "esp-den-01/light/esp_den_01_light/state", `{"color_mode":"brightness","state":"OFF","brightness":128,"color":{}}`)
}

func TestSpeakerPlaysAndStops(t *testing.T) {
	b := startBroker(t)
	f := startFleet(t, b.url, Spec{Speakers: 1, Period: time.Hour, Speed: 20, AudioDuration: 2 * time.Second})
	base := "hamlet/khu10/loa-01/"
	p := newProbe(t, b.url, base+"#")

	p.publish(t, base+"cmd", `{"id":"c1","play":{"url":"http://x/a.mp3","announcement":"ann-1","priority":"normal","volume":80}}`)
	p.waitPayload(t, base+"ack", `{"id":"c1","ok":true,"error":""}`)
	p.waitPayload(t, base+"state", `{"playing":"ann-1","volume":80}`)
	p.wait(t, base+"event", func(s string) bool { return hasAll(s, `"type":"played"`, `"ref":"ann-1"`, `"ts":"`) })
	_, i := p.waitFrom(t, 0, "state idle after played", func(g got) bool {
		return g.topic == base+"state" && g.payload == `{"playing":"","volume":70}` && !g.retained
	})
	if i < 0 {
		t.Fatal("no idle state")
	}

	p.publish(t, base+"cmd", `{"id":"c2","play":{"url":"http://x/b.mp3","announcement":"ann-2","duration_s":3600}}`)
	p.waitPayload(t, base+"state", `{"playing":"ann-2","volume":70}`)
	p.publish(t, base+"cmd", `{"id":"c3","play":{"url":"http://x/c.mp3","announcement":"ann-3","priority":"emergency","duration_s":3600}}`)
	p.wait(t, base+"event", func(s string) bool { return hasAll(s, `"type":"play_failed"`, `"ref":"ann-2"`) })
	p.publish(t, base+"cmd", `{"id":"c4","play":{"url":"http://x/d.mp3","announcement":"ann-4"}}`)
	p.wait(t, base+"ack", func(s string) bool { return hasAll(s, `"id":"c4"`, `"ok":false`, "busy") })
	p.publish(t, base+"cmd", `{"id":"c5","stop":true}`)
	p.waitPayload(t, base+"ack", `{"id":"c5","ok":true,"error":""}`)
	testutil.Eventually(t, waitLimit, "idle after stop", func() bool {
		st, err := f.Status("loa-01")
		return err == nil && *st.Speaker.Playing == ""
	})

	bad := map[string]string{
		`{"id":"c6","play":{"url":""}}`:                      "play.url is empty",
		`{"id":"c7","volume":"loud"}`:                        `field \"volume\"`,
		`{"id":"c8","play":{"url":"u","priority":"urgent"}}`: `play.priority \"urgent\"`,
		`{"id":"c9"}`: "none of play, stop or volume",
	}
	for payload, want := range bad {
		p.publish(t, base+"cmd", payload)
		id := payload[7:9]
		p.wait(t, base+"ack", func(s string) bool { return hasAll(s, `"id":"`+id+`"`, `"ok":false`, want) })
	}
}

func TestNativeLightAnswersCommand(t *testing.T) {
	b := startBroker(t)
	startFleet(t, b.url, Spec{NativeLights: 1, Period: time.Hour})
	base := "hamlet/khu10/den-nat-01/"
	p := newProbe(t, b.url, base+"#")
	p.publish(t, base+"cmd", `{"id":"L1","on":true,"brightness":50}`)
	p.waitPayload(t, base+"ack", `{"id":"L1","ok":true,"error":""}`)
	p.waitPayload(t, base+"state", `{"on":true,"brightness":50}`)
	p.publish(t, base+"cmd", `{"id":"L2","brightness":150}`)
	p.wait(t, base+"ack", func(s string) bool { return hasAll(s, `"id":"L2"`, `"ok":false`, "150") })
}

func TestFrigateStatsAndToggles(t *testing.T) {
	b := startBroker(t)
	p := newProbe(t, b.url, "frigate/#")
	startFleet(t, b.url, Spec{Cameras: 2, Period: 10 * time.Second, Speed: 100})
	p.waitPayload(t, "frigate/cam_01/status/detect", "online")
	p.waitPayload(t, "frigate/cam_02/motion", "OFF")
	stats := p.wait(t, "frigate/stats", nil)
	if !hasAll(stats.payload, `{"cameras": {"cam_01": {"camera_fps": `, `"detection_enabled": true`, `"service": {"uptime": `) {
		t.Errorf("stats do not look like Frigate's json.dumps: %s", stats.payload)
	}
	var s struct {
		Cameras map[string]struct {
			CameraFPS float64 `json:"camera_fps"`
		}
	}
	if err := json.Unmarshal([]byte(stats.payload), &s); err != nil || s.Cameras["cam_02"].CameraFPS < 4 {
		t.Errorf("stats cameras = %+v, %v", s.Cameras, err)
	}
	p.publish(t, "frigate/cam_02/detect/set", "OFF")
	if m := p.waitPayload(t, "frigate/cam_02/detect/state", "OFF"); m.retained {
		t.Error("live state arrived with the retain flag") // MQTT clears it on live forwarding
	}
}
