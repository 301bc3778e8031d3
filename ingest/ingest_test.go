package ingest

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/telemetry"
)

// fakeDecoder decodes with a function field.
type fakeDecoder struct {
	decode func(topic string, payload []byte, retained bool) ([]devices.Report, error)
}

func (f fakeDecoder) Decode(topic string, payload []byte, retained bool) ([]devices.Report, error) {
	return f.decode(topic, payload, retained)
}

var _ Decoder = fakeDecoder{}

// fakeStore records what it is asked to keep.
type fakeStore struct {
	mu          sync.Mutex
	transitions []devices.Transition
	discovered  map[string]devices.Device
}

func (s *fakeStore) RecordTransitions(_ context.Context, ts []devices.Transition) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.transitions = append(s.transitions, ts...)
	return nil
}

func (s *fakeStore) SaveDiscovered(_ context.Context, d devices.Device, _, _ string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.discovered == nil {
		s.discovered = map[string]devices.Device{}
	}
	s.discovered[d.ID] = d
	return nil
}

func (s *fakeStore) DeleteDiscovered(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.discovered, id)
	return nil
}

var _ Store = (*fakeStore)(nil)

// fakeSink holds lines of line protocol and acks until flushed.
type fakeSink struct {
	lines []string
	acks  []func()
}

func (s *fakeSink) AddLines(l *telemetry.Lines, ack func()) {
	s.lines = append(s.lines, strings.SplitAfter(string(l.Bytes()), "\n")...)
	s.lines = s.lines[:len(s.lines)-1] // after the last newline
	s.acks = append(s.acks, ack)
}

func (s *fakeSink) flush() {
	for _, a := range s.acks {
		a()
	}
	s.acks = nil
}

var _ Sink = (*fakeSink)(nil)

var t0 = time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)

func newTest(t *testing.T, decode func(string, []byte, bool) ([]devices.Report, error)) (*Pipeline, *fakeStore, *fakeSink, *devices.Registry, *prometheus.Registry) {
	reg := devices.NewRegistry([]devices.Device{
		{ID: "den-01", Kind: devices.Light, Zone: "ngo-3", Protocol: devices.Tasmota, Topic: "den_01"},
	}, map[devices.Kind]time.Duration{devices.Light: 10 * time.Minute}, t0)
	st, sink, prom := &fakeStore{}, &fakeSink{}, prometheus.NewRegistry()
	p := New(Options{Area: "khu10", Decoder: fakeDecoder{decode}, Registry: reg, Store: st, Sink: sink,
		Registerer: prom, Now: func() time.Time { return t0 }})
	return p, st, sink, reg, prom
}

func TestAckWaitsForTelemetry(t *testing.T) {
	p, _, sink, reg, _ := newTest(t, func(string, []byte, bool) ([]devices.Report, error) {
		return []devices.Report{{Protocol: devices.Tasmota, Key: "den_01", Metrics: map[string]float64{"power_w": 40}}}, nil
	})
	acked := false
	p.Handle("tele/den_01/SENSOR", []byte("{}"), false, func() { acked = true })
	if acked {
		t.Fatal("acked before the sink made the points durable")
	}
	want := "light,area=khu10,device=den-01,kind=light,protocol=tasmota,zone=ngo-3 power_w=40 "
	if len(sink.lines) != 2 || !strings.HasPrefix(sink.lines[0], want) || !strings.HasPrefix(sink.lines[1], "availability,") {
		t.Fatalf("lines = %q, want one starting %q and the availability transition", sink.lines, want)
	}
	sink.flush()
	if !acked {
		t.Fatal("not acked after flush")
	}
	s, _ := reg.Get("den-01")
	if s.Telemetry["power_w"] != 40 || s.Availability != devices.Online {
		t.Errorf("registry: %+v", s)
	}
}

func TestRejectedMessageIsCountedAndAcked(t *testing.T) {
	p, _, _, _, prom := newTest(t, func(string, []byte, bool) ([]devices.Report, error) {
		return nil, devices.Errorf(devices.ReasonMalformed, "truncated JSON")
	})
	acked := false
	p.Handle("tele/den_01/SENSOR", []byte("{"), false, func() { acked = true })
	if !acked {
		t.Fatal("rejected message not acked")
	}
	if n := testutil.ToFloat64(p.m.rejected.WithLabelValues("malformed")); n != 1 {
		t.Errorf("rejected{malformed} = %v", n)
	}
	_ = prom
}

func TestTransitionsAreStoredAndExported(t *testing.T) {
	p, st, sink, _, _ := newTest(t, func(string, []byte, bool) ([]devices.Report, error) {
		return []devices.Report{{Protocol: devices.Tasmota, Key: "den_01", Availability: devices.Offline}}, nil
	})
	p.Handle("tele/den_01/LWT", []byte("Offline"), true, func() {})
	if len(st.transitions) != 1 || st.transitions[0].To != devices.Offline {
		t.Fatalf("stored = %+v", st.transitions)
	}
	if len(sink.lines) != 1 || !strings.HasPrefix(sink.lines[0], "availability,") {
		t.Fatalf("lines = %q", sink.lines)
	}
}

func TestUnknownDeviceIsRegisteredAsDiscovered(t *testing.T) {
	p, st, _, reg, _ := newTest(t, func(string, []byte, bool) ([]devices.Report, error) {
		return []devices.Report{{Protocol: devices.Tasmota, Key: "tasmota_E8A6E4", Availability: devices.Online}}, nil
	})
	p.Handle("tele/tasmota_E8A6E4/LWT", []byte("Online"), true, func() {})
	d, ok := reg.Lookup(devices.Address{Protocol: devices.Tasmota, Key: "tasmota_E8A6E4"})
	if !ok || d.ID != "tasmota-tasmota_e8a6e4" || !d.Discovered {
		t.Fatalf("lookup = %+v, %v", d, ok)
	}
	if _, ok := st.discovered[d.ID]; !ok {
		t.Error("not saved in the store")
	}
	if s, _ := reg.Get(d.ID); s.Availability != devices.Online {
		t.Errorf("availability = %s", s.Availability)
	}
}

func TestDiscoveryRemoveForgetsDevice(t *testing.T) {
	remove := false
	p, st, _, reg, _ := newTest(t, func(string, []byte, bool) ([]devices.Report, error) {
		return []devices.Report{{Protocol: devices.Tasmota, Key: "tasmota_ABC", Kind: devices.Light,
			Discovery: &devices.Discovery{Remove: remove, ID: "tasmota-0cdc7e31e4cc", Name: "Tasmota", Model: "Sonoff"}}}, nil
	})
	p.Handle("tasmota/discovery/0CDC7E31E4CC/config", []byte("{}"), true, func() {})
	if _, ok := reg.Get("tasmota-0cdc7e31e4cc"); !ok {
		t.Fatal("not discovered")
	}
	remove = true
	p.Handle("tasmota/discovery/0CDC7E31E4CC/config", nil, true, func() {})
	if _, ok := reg.Get("tasmota-0cdc7e31e4cc"); ok {
		t.Fatal("not forgotten")
	}
	if len(st.discovered) != 0 {
		t.Error("still in the store")
	}
}

// TestNativeDeviceFirstHeardWithoutInfoIsTracked checks that a native device
// heard before (or without) its info record is registered under its topic
// level, so that its later messages find it.
func TestNativeDeviceFirstHeardWithoutInfoIsTracked(t *testing.T) {
	var rep devices.Report
	p, _, _, reg, _ := newTest(t, func(string, []byte, bool) ([]devices.Report, error) {
		return []devices.Report{rep}, nil
	})
	rep = devices.Report{Protocol: devices.Native, Key: "den-07", Availability: devices.Online}
	p.Handle("hamlet/khu10/den-07/status", []byte("online"), false, func() {})
	rep = devices.Report{Protocol: devices.Native, Key: "den-07", Availability: devices.Offline}
	p.Handle("hamlet/khu10/den-07/status", []byte("offline"), false, func() {})
	s, ok := reg.Get("den-07")
	if !ok || s.Availability != devices.Offline || s.Cause != devices.CauseLWT {
		t.Fatalf("den-07 = %+v, %v; want registered under its topic level and offline by lwt", s, ok)
	}
	if n := len(reg.List(devices.Filter{})); n != 2 {
		t.Errorf("%d devices, want the declared one and den-07", n)
	}
}

func TestBinaryPayloadsGoToTheBinaryHook(t *testing.T) {
	decode := func(topic string, _ []byte, _ bool) ([]devices.Report, error) {
		if strings.HasSuffix(topic, "/snapshot") {
			return nil, devices.Errorf(devices.ReasonBinary, "snapshot JPEG")
		}
		return nil, devices.Errorf(devices.ReasonMalformed, "bad")
	}
	var got []string
	p := New(Options{Area: "khu10", Decoder: fakeDecoder{decode}, Registry: devices.NewRegistry(nil, nil, t0),
		Store: &fakeStore{}, Now: func() time.Time { return t0 },
		Binary: func(topic string, payload []byte, at time.Time) {
			got = append(got, topic+"="+string(payload)+"@"+at.Format(time.RFC3339))
		}})
	acks := 0
	p.Handle("frigate/cong/person/snapshot", []byte("\xff\xd8"), true, func() { acks++ })
	p.Handle("tele/den_01/SENSOR", []byte("{"), false, func() { acks++ })
	if want := "frigate/cong/person/snapshot=\xff\xd8@" + t0.Format(time.RFC3339); len(got) != 1 || got[0] != want || acks != 2 {
		t.Fatalf("Binary got %q (acks %d), want only %q", got, acks, want)
	}
	if n := testutil.ToFloat64(p.m.rejected.WithLabelValues("binary")); n != 1 {
		t.Errorf("rejected{binary} = %v, still counted", n)
	}
}
