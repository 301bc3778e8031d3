package telemetry

import (
	"strings"
	"testing"
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"

	"github.com/hamlet-vn/hamlet/devices"
)

// linesAdder records the line protocol of the points it is given.
type linesAdder struct{ lines []string }

func (a *linesAdder) Add(ps []*write.Point, ack func()) {
	for _, p := range ps {
		a.lines = append(a.lines, write.PointToLineProtocol(p, time.Second))
	}
	ack()
}

func TestAuditWriterOnePointPerDevice(t *testing.T) {
	adder := &linesAdder{}
	w := AuditWriter{Area: "khu10", Points: adder}
	at := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	w.Write(CommandAudit{ID: "cmd-1", User: "opa", Action: "set", Params: map[string]any{"on": true}}, nil, at)
	if len(adder.lines) != 0 {
		t.Fatalf("no outcomes wrote %q", adder.lines)
	}
	w.Write(CommandAudit{ID: "cmd-1", User: "opa", Action: "set", Params: map[string]any{"on": true}}, []DeviceOutcome{
		{Device: devices.Device{ID: "den-a1", Zone: "ngo-a", Kind: devices.Light}, Result: "confirmed"},
		{Device: devices.Device{ID: "den-a2", Zone: "ngo-a", Kind: devices.Light}, Result: "offline", Error: "device offline"},
	}, at)
	if len(adder.lines) != 2 {
		t.Fatalf("points = %q", adder.lines)
	}
	for _, want := range []string{"command,", "action=set", "area=khu10", "device=den-a1", "zone=ngo-a", "kind=light",
		`id="cmd-1"`, `user="opa"`, `result="confirmed"`, `params="{\"on\":true}"`} {
		if !strings.Contains(adder.lines[0], want) {
			t.Errorf("point %s lacks %s", adder.lines[0], want)
		}
	}
	if !strings.Contains(adder.lines[1], `result="offline"`) || !strings.Contains(adder.lines[1], `error="device offline"`) {
		t.Errorf("second point %s", adder.lines[1])
	}
}
