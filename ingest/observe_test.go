package ingest

import (
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// TestObserveSpeakerReports: a speaker's acks, events and state reach
// Observe with the registry's device; other kinds and plain telemetry do not.
func TestObserveSpeakerReports(t *testing.T) {
	reg := devices.NewRegistry([]devices.Device{
		{ID: "loa-01", Kind: devices.Speaker, Zone: "ngo-3", Protocol: devices.Native, Topic: "loa-01"},
		{ID: "den-01", Kind: devices.Light, Zone: "ngo-3", Protocol: devices.Tasmota, Topic: "den_01"},
	}, nil, t0)
	var got []devices.Report
	var dev devices.Device
	reports := map[string]devices.Report{
		"ack":   {Protocol: devices.Native, Key: "loa-01", Ack: &devices.Ack{ID: "c1", OK: true}},
		"event": {Protocol: devices.Native, Key: "loa-01", Events: []devices.Event{{Type: "played", Ref: "ann-1"}}},
		"tele":  {Protocol: devices.Native, Key: "loa-01", Metrics: map[string]float64{"rssi_dbm": -60}},
		"light": {Protocol: devices.Tasmota, Key: "den_01", Ack: &devices.Ack{ID: "c2", OK: true}},
	}
	p := New(Options{Area: "khu10", Registry: reg, Store: &fakeStore{}, Now: func() time.Time { return t0 },
		Decoder: fakeDecoder{func(topic string, _ []byte, _ bool) ([]devices.Report, error) {
			return []devices.Report{reports[topic]}, nil
		}},
		Observe: func(d devices.Device, r devices.Report) { dev = d; got = append(got, r) }})
	for _, topic := range []string{"ack", "event", "tele", "light"} {
		p.Handle(topic, []byte("{}"), false, func() {})
	}
	if len(got) != 2 || got[0].Ack == nil || len(got[1].Events) != 1 || dev.ID != "loa-01" || dev.Zone != "ngo-3" {
		t.Fatalf("observed %+v (device %+v), want the speaker's ack and event", got, dev)
	}
}
