package telemetry

import (
	"math"
	"sort"
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"

	"github.com/hamlet-vn/hamlet/devices"
)

// Measurements written besides one per device kind ("light", "camera",
// "speaker"). docs/influx-schema.md documents every measurement, tag and field.
const (
	// MeasurementDevice holds telemetry of a device whose kind is not known.
	MeasurementDevice = "device"
	// MeasurementAvailability holds one point per availability transition.
	MeasurementAvailability = "availability"
	// MeasurementCommand holds the audit of commands sent to devices.
	MeasurementCommand = "command"
	// MeasurementAnnouncement holds announcement deliveries to speakers.
	MeasurementAnnouncement = "announcement"
)

// Tag keys. Every tag has a small, bounded set of values; empty tags are left out.
const (
	TagArea     = "area"     // the area id (config area.id)
	TagZone     = "zone"     // the device's zone id
	TagKind     = "kind"     // light, camera, speaker
	TagDevice   = "device"   // the device id
	TagProtocol = "protocol" // tasmota, esphome, ...
	TagEvent    = "event"    // an event's type, on event points only
	TagAction   = "action"   // a command's action, on command points only
	TagPriority = "priority" // an announcement's priority, on announcement points only
)

// State and event field names in the kind measurements. Their types never change.
const (
	FieldOn           = "on"             // bool: light is on
	FieldBrightness   = "brightness_pct" // float: light brightness 0–100
	FieldPlaying      = "playing"        // bool: speaker is playing
	FieldAnnouncement = "announcement"   // string: id of the announcement playing, "" when idle
	FieldVolume       = "volume_pct"     // float: speaker volume 0–100
	FieldRecording    = "recording"      // bool: camera records
	FieldDetecting    = "detecting"      // bool: camera detection enabled
	FieldStreaming    = "streaming"      // bool: camera streams
	FieldMotion       = "motion"         // bool: camera sees motion
	FieldRef          = "ref"            // string: what an event refers to, "" when nothing
)

// reserved reports whether k names a non-float state field; a metric of the
// same name is written as "<name>_value" so that a field's type never changes.
func reserved(k string) bool {
	switch k {
	case FieldOn, FieldPlaying, FieldAnnouncement, FieldRecording, FieldDetecting, FieldStreaming, FieldMotion, FieldRef:
		return true
	}
	return false
}

// Measurement returns the measurement of a device's telemetry: its kind, or
// "device" for a kind hamlet does not know.
func Measurement(k devices.Kind) string {
	switch k {
	case devices.Light, devices.Camera, devices.Speaker:
		return string(k)
	}
	return MeasurementDevice
}

// ReportPoints returns the points for report r about device d of area, read
// at received: one telemetry point carrying every metric (float) and the
// reported state, and one point per event (tag event = the event's type,
// string field ref). Timestamps follow ReportTime; event points use the
// event's own time when plausible. It returns nil when r carries nothing to
// store (availability, acks and discovery are stored elsewhere).
func ReportPoints(area string, d devices.Device, r devices.Report, received time.Time, loc *time.Location) []*write.Point {
	points, _ := reportPoints(area, d, r, received, loc)
	return points
}

// reportPoints is ReportPoints, also returning how many device timestamps
// were implausible.
func reportPoints(area string, d devices.Device, r devices.Report, received time.Time, loc *time.Location) ([]*write.Point, int) {
	ts, src := ReportTime(r, received, loc)
	implausible := 0
	if src == TimeImplausible {
		implausible++
	}
	kind := d.Kind
	if kind == "" {
		kind = r.Kind
	}
	if d.Protocol == "" {
		d.Protocol = r.Protocol
	}
	if d.ID == "" {
		d.ID = r.Key
	}
	meas := Measurement(kind)
	var points []*write.Point
	if p := statePoint(meas, area, d, kind, r); p != nil {
		points = append(points, p.SetTime(ts))
	}
	type key struct {
		typ string
		ns  int64
	}
	seen := map[key]bool{}
	for _, e := range r.Events {
		et, esrc := eventTime(e, r.TimeLocal, ts, received, loc)
		if esrc == TimeImplausible {
			implausible++
		}
		typ := e.Type
		if typ == "" {
			typ = "unknown"
		}
		// Two events of one type at one instant would overwrite each other.
		for seen[key{typ, et.UnixNano()}] {
			et = et.Add(time.Nanosecond)
		}
		seen[key{typ, et.UnixNano()}] = true
		p := write.NewPointWithMeasurement(meas)
		addTags(p, area, d, kind)
		p.AddTag(TagEvent, typ)
		p.AddField(FieldRef, e.Ref)
		points = append(points, p.SortTags().SetTime(et))
	}
	return points, implausible
}

// statePoint returns the telemetry point of r without its time, or nil when
// r has neither metrics nor state.
func statePoint(meas, area string, d devices.Device, kind devices.Kind, r devices.Report) *write.Point {
	p := write.NewPointWithMeasurement(meas)
	n := 0
	keys := make([]string, 0, len(r.Metrics))
	for k := range r.Metrics {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := r.Metrics[k]
		if k == "" || math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		if reserved(k) {
			k += "_value"
		}
		p.AddField(k, v)
		n++
	}
	if s := r.Light; s != nil {
		n += addBool(p, FieldOn, s.On) + addPct(p, FieldBrightness, s.Brightness)
	}
	if s := r.Speaker; s != nil {
		if s.Playing != nil {
			p.AddField(FieldPlaying, *s.Playing != "")
			p.AddField(FieldAnnouncement, *s.Playing)
			n += 2
		}
		n += addPct(p, FieldVolume, s.Volume)
	}
	if s := r.Camera; s != nil {
		n += addBool(p, FieldRecording, s.Recording) + addBool(p, FieldDetecting, s.Detecting) +
			addBool(p, FieldStreaming, s.Streaming) + addBool(p, FieldMotion, s.Motion)
	}
	if n == 0 {
		return nil
	}
	addTags(p, area, d, kind)
	return p.SortTags().SortFields()
}

func addBool(p *write.Point, name string, v *bool) int {
	if v == nil {
		return 0
	}
	p.AddField(name, *v)
	return 1
}

func addPct(p *write.Point, name string, v *int) int {
	if v == nil {
		return 0
	}
	p.AddField(name, float64(*v))
	return 1
}

// addTags adds the tags every device point carries; empty values are left out.
func addTags(p *write.Point, area string, d devices.Device, kind devices.Kind) {
	addTag(p, TagArea, area)
	addTag(p, TagDevice, d.ID)
	addTag(p, TagKind, string(kind))
	addTag(p, TagProtocol, string(d.Protocol))
	addTag(p, TagZone, d.Zone)
}

func addTag(p *write.Point, k, v string) {
	if v != "" {
		p.AddTag(k, v)
	}
}
