package native

import (
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/sample"
)

func FuzzDecode(f *testing.F) {
	for _, s := range []struct{ topic, payload string }{
		{"hamlet/khu10/den1/status", "online"},
		{"hamlet/khu10/den1/info", `{"kind":"light","model":"m","fw":"1","zone":"z"}`},
		{"hamlet/khu10/den1/state", `{"on":true,"brightness":80}`},
		{"hamlet/khu10/loa1/state", `{"playing":"a","volume":70}`},
		{"hamlet/khu10/cam1/state", `{"recording":true}`},
		{"hamlet/khu10/den1/telemetry", `{"ts":"2025-01-02T15:04:05Z","power_w":35.2,"rssi_dbm":-61}`},
		{"hamlet/khu10/cam1/event", `{"type":"motion","ref":"x","ts":"2025-01-02T15:04:05Z"}`},
		{"hamlet/khu10/loa1/ack", `{"id":"c1","ok":true,"error":""}`},
		{"hamlet/khu10/$daemon/status", "online"},
	} {
		f.Add(s.topic, []byte(s.payload))
	}
	a := New("hamlet", "khu10")
	f.Fuzz(func(t *testing.T, topic string, payload []byte) {
		reps, err := a.Decode(topic, payload, false)
		sample.CheckDecode(t, topic, reps, err)
		b := len(payload) - 50
		msgs, err := a.Encode(devices.Command{ID: "c", Device: devices.Device{ID: topic}, Light: &devices.LightState{Brightness: &b}})
		sample.CheckEncode(t, msgs, err)
	})
}
