package daemon

import (
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/telemetry"
	"github.com/hamlet-vn/hamlet/web"
	"github.com/influxdata/influxdb-client-go/v2/api/write"
)

type linesAdder struct{ lines []string }

func (a *linesAdder) Add(ps []*telemetry.Point, ack func()) {
	for _, p := range ps {
		a.lines = append(a.lines, write.PointToLineProtocol(p, time.Second))
	}
	ack()
}

// TestInfluxAuditSink: an audited announcement becomes one "command" point
// per speaker, with the action tag of InfluxDB's vocabulary.
func TestInfluxAuditSink(t *testing.T) {
	adder := &linesAdder{}
	sink := influxAudit{telemetry.AuditWriter{Area: "khu10", Points: adder}}
	sink.Record(web.AuditEntry{At: time.Unix(1e9, 0), User: "opa", Action: "announcement.create", Ref: "ann-3",
		Devices: []web.AuditDevice{{Device: devices.Device{ID: "loa-a1", Zone: "ngo-a", Kind: devices.Speaker}, Result: "ok"}}})
	if len(adder.lines) != 1 {
		t.Fatalf("points = %q", adder.lines)
	}
	for _, want := range []string{"command,", "action=play", "device=loa-a1", `id="ann-3"`, `user="opa"`, `result="ok"`} {
		if !strings.Contains(adder.lines[0], want) {
			t.Errorf("point %s lacks %s", adder.lines[0], want)
		}
	}
}
