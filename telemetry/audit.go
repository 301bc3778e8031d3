package telemetry

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"

	"github.com/hamlet-vn/hamlet/devices"
)

// Field names of the availability, command and announcement measurements.
const (
	FieldOnline  = "online"  // int: 1 while online, else 0
	FieldOffline = "offline" // int: 1 while offline, else 0
	FieldState   = "state"   // string: online, offline or unknown
	FieldCause   = "cause"   // string: why availability changed
	FieldID      = "id"      // string: command or announcement id
	FieldUser    = "user"    // string: who sent a command
	FieldParams  = "params"  // string: a command's parameters as JSON
	FieldResult  = "result"  // string: a command's result
	FieldStatus  = "status"  // string: an announcement delivery's status
	FieldError   = "error"   // string: the error, "" when none
)

// AvailabilityPoint returns the point recording that device d of area became
// a (online, offline or unknown) at time at, for cause. It carries both
// online and offline as 0/1 integers so that time-weighted averages give
// uptime without counting unknown time (the daemon or its broker link was
// down) as down: uptime = online / (online + offline).
func AvailabilityPoint(area string, d devices.Device, a devices.Availability, cause devices.Cause, at time.Time) *write.Point {
	if a != devices.Online && a != devices.Offline {
		a = devices.Unknown
	}
	p := write.NewPointWithMeasurement(MeasurementAvailability)
	addTags(p, area, d, d.Kind)
	p.AddField(FieldCause, string(cause))
	p.AddField(FieldOffline, boolInt(a == devices.Offline))
	p.AddField(FieldOnline, boolInt(a == devices.Online))
	p.AddField(FieldState, string(a))
	return p.SortTags().SetTime(at)
}

// CommandAudit describes one command sent to one device.
type CommandAudit struct {
	ID     string // the command id
	User   string // who sent it: a user name, or "schedule"
	Action string // a small fixed vocabulary: set, play, stop, volume, ...; a tag
	Params any    // the parameters, marshalled to JSON; nil gives {}
	Result string // confirmed, pending, offline, timeout, rejected
	Error  string // the device's or hamlet's error, "" when none
}

// CommandPoint returns the audit point of command c to device d of area at
// time at. A command whose result changes later (pending, then confirmed)
// may be written again with the later time.
func CommandPoint(area string, d devices.Device, c CommandAudit, at time.Time) *write.Point {
	p := write.NewPointWithMeasurement(MeasurementCommand)
	addTags(p, area, d, d.Kind)
	addTag(p, TagAction, c.Action)
	p.AddField(FieldError, c.Error)
	p.AddField(FieldID, c.ID)
	p.AddField(FieldParams, paramsJSON(c.Params))
	p.AddField(FieldResult, c.Result)
	p.AddField(FieldUser, c.User)
	return p.SortTags().SetTime(at)
}

// AnnouncementDelivery describes the delivery of one announcement to one speaker.
type AnnouncementDelivery struct {
	ID       string           // the announcement id
	Priority devices.Priority // normal, priority or emergency; a tag
	Status   string           // pending, sent, playing, done, failed, offline
	Error    string           // why it failed, "" when it did not
}

// AnnouncementPoint returns the point recording delivery a to speaker d of
// area at time at; one is written per status change.
func AnnouncementPoint(area string, d devices.Device, a AnnouncementDelivery, at time.Time) *write.Point {
	p := write.NewPointWithMeasurement(MeasurementAnnouncement)
	addTags(p, area, d, d.Kind)
	addTag(p, TagPriority, string(a.Priority))
	p.AddField(FieldError, a.Error)
	p.AddField(FieldID, a.ID)
	p.AddField(FieldStatus, a.Status)
	return p.SortTags().SetTime(at)
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// paramsJSON marshals v; nil gives "{}" and a value that cannot be
// marshalled gives a JSON object naming the error.
func paramsJSON(v any) string {
	if v == nil {
		return "{}"
	}
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(map[string]string{"error": fmt.Sprintf("cannot marshal params: %v", err)})
	}
	return string(b)
}
