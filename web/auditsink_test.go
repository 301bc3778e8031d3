package web

import (
	"strings"
	"testing"
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"
)

// linesAdder records the line protocol of the points it is given.
type linesAdder struct{ lines []string }

func (a *linesAdder) Add(ps []*write.Point, ack func()) {
	for _, p := range ps {
		a.lines = append(a.lines, write.PointToLineProtocol(p, time.Second))
	}
	ack()
}

func TestAuditEntryBecomesCommandPoints(t *testing.T) {
	adder := &linesAdder{}
	f := newFixture(t, func(o *Options) { withHooks(o); o.AuditSink = InfluxAudit{Area: "khu10", Points: adder} })
	if code, body := f.call(f.as(opA), "POST", "/api/v1/commands", `{"target":{"zones":["ngo-a"]},"set":{"on":true,"brightness":70}}`); code != 200 {
		t.Fatalf("command: %d %v", code, body)
	}
	lines := adder.lines
	if len(lines) != 2 {
		t.Fatalf("points = %q", lines)
	}
	for _, want := range []string{"command,", "action=set", "area=khu10", "device=den-a1", "zone=ngo-a", "kind=light",
		`id="cmd-1"`, `user="opa"`, `result="confirmed"`, `params="{\"target\":{\"zones\":[\"ngo-a\"]},\"set\":{\"on\":true,\"brightness\":70}}"`} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("point %s lacks %s", lines[0], want)
		}
	}
}
