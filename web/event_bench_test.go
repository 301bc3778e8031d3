package web

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/lights"
)

// BenchmarkDeviceEvent encodes one lamp's state event and one command
// result, as an event stream does a thousand times each for "all lights
// on": through encoding/json (the baseline) and as the stream does.
func BenchmarkDeviceEvent(b *testing.B) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	s := &Server{opts: Options{Location: loc}}
	now := time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)
	st := devices.Status{Device: devices.Device{ID: "den-0001", Name: "Đèn đường số 1", Kind: devices.Light, Zone: "ngo-1",
		Protocol: devices.Tasmota, Topic: "den_0001"}, Availability: devices.Online, Cause: devices.CauseLWT, Since: now,
		LastSeen: now, Reported: devices.State{Light: &devices.LightState{On: devices.Bool(true), Brightness: devices.Int(100)}},
		Desired: devices.State{Light: &devices.LightState{On: devices.Bool(true)}}, TelemetryAt: now}
	tel := map[string]float64{"power_w": 35.2, "energy_kwh": 12.3, "energy_today_kwh": 0.4, "voltage_v": 229,
		"current_a": 0.15, "rssi_dbm": -61, "uptime_s": 86400, "power_factor": 0.95}
	ev := lights.CommandEvent{ID: "bench-1-on", Device: "den-0001", Zone: "ngo-1", Status: "confirmed", User: "ban", At: now.In(loc)}
	var buf []byte
	encoders := []struct {
		name   string
		encode func(v any) ([]byte, error)
	}{
		{"encoding-json", json.Marshal}, // the baseline
		{"hamlet", func(v any) (b []byte, err error) { // into the stream's buffer, kept between events
			buf, err = appendEventJSON(buf[:0], v)
			return buf, err
		}},
	}
	for _, enc := range encoders {
		for _, tc := range []struct {
			name string
			tel  map[string]float64
		}{{"telemetry", tel}, {"none", nil}} {
			st.Telemetry = tc.tel
			v := s.changeData(devices.Change{Type: devices.ChangeState, Status: st})
			b.Run(enc.name+"/device-"+tc.name, func(b *testing.B) {
				for b.Loop() {
					if _, err := enc.encode(v); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		b.Run(enc.name+"/command", func(b *testing.B) {
			for b.Loop() {
				if _, err := enc.encode(ev); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
