package speakers

import (
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

func FuzzDecode(f *testing.F) {
	seeds := sample.Seeds(f, "speakers.jsonl")
	for _, s := range seeds {
		f.Add(s.Topic, s.Payload)
	}
	if len(seeds) == 0 {
		f.Add("sonos/connected", []byte("2"))
		f.Add("sonos/"+uuid, []byte(`{"transportState":"PLAYING","volume":{"Master":7},"ts":1586344373119}`))
		f.Add("sonos/status/kantoor/state", []byte("PLAYING"))
		f.Add("sonos/"+uuid+"/error", []byte(`{"command":"notify"}`))
	}
	s := NewSonos("sonos")
	f.Fuzz(func(t *testing.T, topic string, payload []byte) {
		reps, err := s.Decode(topic, payload, false)
		sample.CheckDecode(t, topic, reps, err)
		v := len(payload)%120 - 10
		msgs, err := s.Encode(devices.Command{Device: devices.Device{Topic: topic}, Volume: &v, Play: &devices.Play{URL: string(payload), Volume: v}})
		sample.CheckEncode(t, msgs, err)
	})
}
