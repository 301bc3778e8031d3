package web

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// BenchmarkDeviceEvent encodes one lamp's state event, as an event stream
// does a thousand times for "all lights on".
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
	for _, tc := range []struct {
		name string
		tel  map[string]float64
	}{{"telemetry", tel}, {"none", nil}} {
		st.Telemetry = tc.tel
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := json.Marshal(s.changeData(devices.Change{Type: devices.ChangeState, Status: st})); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
