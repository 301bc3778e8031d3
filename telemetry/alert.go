package telemetry

import (
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"

	"github.com/hamlet-vn/hamlet/devices"
)

// MeasurementAlert holds one point per alert event (raised, acknowledged,
// flapped, cleared). Tags: area, zone, kind, device (when the alert is about
// one), condition, severity; fields: id, event, state, flaps, user, message.
const MeasurementAlert = "alert"

// AlertEvent describes one event in an alert's life.
type AlertEvent struct {
	ID, Event, State string
	Condition        string // a tag: one of a fixed set
	Severity         string // a tag: critical, warning or info
	Flaps            int
	User             string // who acknowledged, for event acknowledged
	Message          string
}

// AlertPoint returns the point recording event e of an alert about device d
// (zero for the daemon's own alerts) in area at time at.
func AlertPoint(area string, d devices.Device, e AlertEvent, at time.Time) *write.Point {
	p := write.NewPointWithMeasurement(MeasurementAlert)
	addTags(p, area, d, d.Kind)
	addTag(p, "condition", e.Condition)
	addTag(p, "severity", e.Severity)
	p.AddField(FieldID, e.ID)
	p.AddField("event", e.Event)
	p.AddField("state", e.State)
	p.AddField("flaps", int64(e.Flaps))
	p.AddField(FieldUser, e.User)
	p.AddField("message", e.Message)
	return p.SortTags().SetTime(at)
}

// RecordAlert writes the point of alert event e (see AlertPoint).
func (w *Writer) RecordAlert(area string, d devices.Device, e AlertEvent, at time.Time) {
	w.Add([]*write.Point{AlertPoint(area, d, e, at)}, nil)
}
