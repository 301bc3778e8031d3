package tasmota

import (
	"testing"

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
