package telemetry

import (
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"

	"github.com/hamlet-vn/hamlet/devices"
)

// PointAdder takes points to write to InfluxDB; *Writer is one.
type PointAdder interface {
	Add(points []*write.Point, ack func())
}

// DeviceOutcome is how an audited action ended for one device.
type DeviceOutcome struct {
	Device devices.Device
	Result string // confirmed, pending, offline, timeout, rejected, ok
	Error  string
}

// AuditWriter writes the "command" points of audited actions (commands,
// announcements, maintenance): one per device the action reached. The
// daemon hands it the web server's audit entries.
type AuditWriter struct {
	Area   string
	Points PointAdder
}

// Write adds one point per outcome at time at: c with the outcome's result
// and error. No outcomes, no points.
func (w AuditWriter) Write(c CommandAudit, outcomes []DeviceOutcome, at time.Time) {
	if len(outcomes) == 0 {
		return
	}
	points := make([]*write.Point, 0, len(outcomes))
	for _, o := range outcomes {
		c.Result, c.Error = o.Result, o.Error
		points = append(points, CommandPoint(w.Area, o.Device, c, at))
	}
	w.Points.Add(points, func() {})
}
