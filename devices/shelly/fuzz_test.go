package shelly

import (
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

// FuzzDecode checks that no input makes Decode or Encode panic, that errors
// are *devices.DecodeError, that states stay in range and metrics finite, and
// that commands to any prefix seen are publishable.
func FuzzDecode(f *testing.F) {
	for _, s := range sample.Seeds(f, "shelly.jsonl") {
		f.Add(s.Topic, s.Payload, false)
	}
	f.Add("hamletd/rpc", []byte(`{"id":"c1","src":"shellyplus1-x","error":{"code":-105,"message":"Method not found"}}`), false)
	f.Add("x/events/rpc", []byte(`{"method":"NotifyEvent","params":{"events":[{"component":"input:0","event":"single_push","ts":1700000000.1}]}}`), false)
	f.Add("shellies/announce", []byte(`{"id":"shelly1-AB","model":"SHSW-1","fw_ver":"1.9"}`), false)
	f.Fuzz(func(t *testing.T, topic string, payload []byte, retained bool) {
		a := New("hamletd")
		reps, err := a.Decode(topic, payload, retained)
		check(t, topic, reps, err)
		for _, r := range reps {
			for _, l := range []*devices.LightState{{On: devices.Bool(true)}, {Brightness: devices.Int(55)}} {
				msgs, err := a.Encode(devices.Command{ID: "c", Device: devices.Device{Topic: r.Key}, Light: l})
				if err != nil {
					continue
				}
				for _, m := range msgs {
					if err := devices.CheckTopic(m.Topic); err != nil || len(m.Payload) == 0 {
						t.Fatalf("Encode for %q: %q %q %v", r.Key, m.Topic, m.Payload, err)
					}
				}
			}
		}
	})
}

// check asserts the Adapter contract (sample.CheckDecode) and that device
// times are plausible years.
func check(t *testing.T, topic string, reps []devices.Report, err error) {
	t.Helper()
	sample.CheckDecode(t, topic, reps, err)
	for _, r := range reps {
		if y := r.Time.Year(); !r.Time.IsZero() && (y < 2001 || y > 5138) {
			t.Fatalf("%s: implausible time %v", topic, r.Time)
		}
	}
}
