package tasmota

import (
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

func FuzzDecode(f *testing.F) {
	seeds := sample.Seeds(f, "tasmota.jsonl")
	for _, s := range seeds {
		f.Add(s.Topic, s.Payload)
	}
	if len(seeds) == 0 {
		f.Add("stat/den1/RESULT", []byte(`{"POWER":"ON","Dimmer":50}`))
		f.Add("tele/den1/STATE", []byte(`{"Time":"2025-01-02T15:04:05","UptimeSec":5,"POWER":"OFF","Wifi":{"RSSI":80,"Signal":-60}}`))
		f.Add("tele/den1/SENSOR", []byte(`{"ENERGY":{"Power":[1,2],"Total":3}}`))
		f.Add("tele/den1/LWT", []byte("Online"))
		f.Add("tasmota/discovery/0CDC7E31E4CC/config", []byte(nspanel))
	}
	f.Fuzz(func(t *testing.T, topic string, payload []byte) {
		a := New()
		a.AddDevice("dev400", "std/%topic%/s/%prefix%/")
		// Discovery first, so that fuzzed FullTopics reach Encode.
		reps, err := a.Decode(topic, payload, true)
		sample.CheckDecode(t, topic, reps, err)
		for _, r := range reps {
			if r.Key == "" && r.Discovery == nil {
				t.Fatalf("report without key: %+v", r)
			}
			if r.Key != "" {
				b := len(payload) % 120
				msgs, err := a.Encode(devices.Command{Device: devices.Device{Topic: r.Key}, Light: &devices.LightState{On: devices.Bool(true), Brightness: &b}})
				sample.CheckEncode(t, msgs, err)
			}
		}
	})
}

// FuzzLocalTime checks readTime's fast path against time.ParseInLocation:
// when localTime reads a time, the general path must read the same one.
func FuzzLocalTime(f *testing.F) {
	for _, s := range []string{`"2025-11-26T18:30:00"`, `"2024-02-29T23:59:59"`, `"2025-02-29T00:00:00"`,
		`"2025-13-01T00:00:00"`, `"2025-01-01T24:00:00"`, `"2025-01-01T00:00:60"`, `"0000-01-01T00:00:00"`, `"2025-01-01 00:00:00"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, ok := localTime(raw)
		if !ok {
			return
		}
		want, err := time.ParseInLocation("2006-01-02T15:04:05", string(raw[1:len(raw)-1]), time.UTC)
		if err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Fatalf("localTime(%s) = %v; time.ParseInLocation: %v, %v", raw, got, want, err)
		}
	})
}
