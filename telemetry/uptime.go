package telemetry

import (
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"

	"github.com/hamlet-vn/hamlet/devices"
)

// Measurements the uptime report reads across areas besides availability.
const (
	// MeasurementDaemon holds the daemon's heartbeats: when it watched.
	MeasurementDaemon = "daemon"
	// MeasurementMaintenance holds declared maintenance windows, per device.
	MeasurementMaintenance = "maintenance"
)

// Field names of the daemon and maintenance measurements.
const (
	FieldRun     = "run"      // int: the daemon run's id (one per start), on daemon points
	FieldStartNs = "start_ns" // int: a maintenance window's start, Unix nanoseconds
	FieldEndNs   = "end_ns"   // int: its end (moved to the cancel time when cancelled), Unix nanoseconds
	FieldWindow  = "window"   // int: the maintenance window's id
)

// HeartbeatPoint returns the point recording that run of area's daemon was
// alive at at. A run's first point is its start and its last its clean stop
// or, after a crash or a power cut, its last heartbeat: the time between
// runs is unknown for every device of the area.
func HeartbeatPoint(area string, run int64, at time.Time) *write.Point {
	p := write.NewPointWithMeasurement(MeasurementDaemon)
	addTag(p, TagArea, area)
	p.AddField(FieldRun, run)
	return p.SetTime(at)
}

// MaintenancePoint returns the point declaring maintenance window id on
// device d of area over [from, to). It is tagged with area and device only,
// and its time is from plus id nanoseconds (mod 10⁶), so that two windows of
// one device starting together stay apart and writing the window again
// (when cancelled) replaces it even if the device moved zone meanwhile.
func MaintenancePoint(area string, d devices.Device, id int64, from, to time.Time) *write.Point {
	p := write.NewPointWithMeasurement(MeasurementMaintenance)
	addTag(p, TagArea, area)
	addTag(p, TagDevice, d.ID)
	p.AddField(FieldEndNs, to.UnixNano())
	p.AddField(FieldStartNs, from.UnixNano())
	p.AddField(FieldWindow, id)
	return p.SortTags().SetTime(from.Add(time.Duration(id % 1e6)))
}
