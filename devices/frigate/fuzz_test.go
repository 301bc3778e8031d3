package frigate

import (
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

// FuzzDecode checks that no input makes Decode or Encode panic, that errors
// are *devices.DecodeError, that states stay in range, metrics finite and
// times plausible, and that Encode refuses every command.
func FuzzDecode(f *testing.F) {
	for _, s := range sample.Seeds(f, "frigate.jsonl") {
		f.Add(s.Topic, s.Payload, false)
	}
	f.Add("frigate/events", []byte(newEvent), false)
	f.Add("frigate/stats", []byte(`{"cameras": {"gate": {"camera_fps": 5.1, "process_fps": 5.0, "detection_enabled": true}}, "service": {"last_updated": 1718987200}}`), false)
	f.Add("frigate/gate/person/snapshot", []byte("\xff\xd8\xff\xe0"), true)
	f.Fuzz(func(t *testing.T, topic string, payload []byte, retained bool) {
		a := New("")
		reps, err := a.Decode(topic, payload, retained)
		check(t, topic, reps, err)
		for _, r := range reps {
			if msgs, err := a.Encode(devices.Command{ID: "c", Device: devices.Device{Topic: r.Key}, Light: &devices.LightState{On: devices.Bool(true)}}); msgs != nil || err == nil {
				t.Fatalf("Encode for %q = %v, %v; want an error", r.Key, msgs, err)
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
