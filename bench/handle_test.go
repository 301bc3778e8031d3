package bench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/protocols"
	"github.com/hamlet-vn/hamlet/ingest"
	"github.com/hamlet-vn/hamlet/telemetry"
)

// sensorPayload is what devices/sim's Blast publishes: a Tasmota energy
// meter's tele/<topic>/SENSOR.
const sensorPayload = `{"Time":"2026-11-26T18:30:05","ENERGY":{"TotalStartTime":"2024-01-01T00:00:00","Total":12.345,` +
	`"Yesterday":0.000,"Today":1.234,"Period":0,"Power":40,"ApparentPower":42,"ReactivePower":13,"Factor":0.95,` +
	`"Voltage":230,"Current":0.174}}`

// meters returns n Tasmota meters declared as lights, as the ingest benchmark declares them.
func meters(n int) []devices.Device {
	out := make([]devices.Device, n)
	for i := range out {
		out[i] = devices.Device{ID: fmt.Sprintf("m-%04d", i), Kind: devices.Light, Zone: "z1",
			Protocol: devices.Tasmota, Topic: fmt.Sprintf("m_%04d", i)}
	}
	return out
}

func benchRouter(b *testing.B, declared []devices.Device) *protocols.Router {
	r, err := protocols.New(protocols.Options{Area: "bench", HASSEnabled: true, TasmotaDiscovery: true, Devices: declared})
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// BenchmarkDecodeTasmotaSensor is the router's share of one message.
func BenchmarkDecodeTasmotaSensor(b *testing.B) {
	declared := meters(1000)
	r := benchRouter(b, declared)
	payload := []byte(sensorPayload)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := r.Decode("tele/"+declared[i%1000].Topic+"/SENSOR", payload, false); err != nil {
			b.Fatal(err)
		}
	}
}

// nullStore keeps nothing.
type nullStore struct{}

func (nullStore) RecordTransitions(context.Context, []devices.Transition) error        { return nil }
func (nullStore) SaveDiscovered(context.Context, devices.Device, string, string) error { return nil }
func (nullStore) DeleteDiscovered(context.Context, string) error                       { return nil }

// countSink counts the bytes it is given and acknowledges at once.
type countSink struct{ bytes int }

func (s *countSink) AddLines(l *telemetry.Lines, ack func()) { s.bytes += len(l.Bytes()); ack() }

// BenchmarkPipelineHandle is hamletd's own work for one message between
// the MQTT link and the InfluxDB writer: decode, registry, line protocol.
func BenchmarkPipelineHandle(b *testing.B) {
	declared := meters(1000)
	topics := make([]string, len(declared))
	for i, d := range declared {
		topics[i] = "tele/" + d.Topic + "/SENSOR"
	}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	sink := &countSink{}
	p := ingest.New(ingest.Options{Area: "bench", Location: loc, Decoder: benchRouter(b, declared),
		Registry: devices.NewRegistry(declared, nil, time.Now()), Store: nullStore{}, Sink: sink})
	payload := []byte(sensorPayload)
	ack := func() {}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p.Handle(topics[i%len(topics)], payload, false, ack)
	}
	b.ReportMetric(float64(sink.bytes)/float64(b.N), "lp-bytes/op")
}
