package web

import (
	"github.com/influxdata/influxdb-client-go/v2/api/write"

	"github.com/hamlet-vn/hamlet/telemetry"
)

// PointAdder takes points to write to InfluxDB (telemetry.Writer).
type PointAdder interface {
	Add(points []*write.Point, ack func())
}

// InfluxAudit is the AuditSink that writes one InfluxDB "command" point per
// device an audited action reached.
type InfluxAudit struct {
	Area   string
	Points PointAdder
}

// Record implements AuditSink.
func (s InfluxAudit) Record(e AuditEntry) {
	if len(e.Devices) == 0 {
		return
	}
	points := make([]*write.Point, 0, len(e.Devices))
	for _, d := range e.Devices {
		points = append(points, telemetry.CommandPoint(s.Area, d.Device, telemetry.CommandAudit{ID: e.Ref, User: e.User,
			Action: e.CommandAction(), Params: e.Params, Result: d.Result, Error: d.Error}, e.At))
	}
	s.Points.Add(points, func() {})
}

var _ AuditSink = InfluxAudit{}
