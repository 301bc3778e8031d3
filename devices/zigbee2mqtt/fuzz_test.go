package zigbee2mqtt

import (
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

func FuzzDecode(f *testing.F) {
	seeds := sample.Seeds(f, "zigbee2mqtt.jsonl")
	for _, s := range seeds {
		f.Add(s.Topic, s.Payload)
	}
	if len(seeds) == 0 {
		f.Add("zigbee2mqtt/bridge/state", []byte(`{"state":"online"}`))
		f.Add("zigbee2mqtt/lamp/availability", []byte(`{"state":"offline"}`))
		f.Add("zigbee2mqtt/lamp", []byte(`{"brightness":200,"state":"ON","power":"5"}`))
		f.Add("zigbee2mqtt/btn", []byte(`{"action":"single","linkquality":10}`))
		f.Add("zigbee2mqtt/lamp/set", []byte(`{"state":"toggle"}`))
	}
	a := New("zigbee2mqtt")
	f.Fuzz(func(t *testing.T, topic string, payload []byte) {
		reps, err := a.Decode(topic, payload, false)
		sample.CheckDecode(t, topic, reps, err)
		b := len(payload)%120 - 10
		msgs, err := a.Encode(devices.Command{Device: devices.Device{Topic: topic}, Light: &devices.LightState{On: devices.Bool(len(topic)%2 == 0), Brightness: &b}})
		sample.CheckEncode(t, msgs, err)
	})
}
