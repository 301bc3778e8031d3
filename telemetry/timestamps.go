package telemetry

import (
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// The window in which a device's own timestamp is believed. Messages the
// broker queued while hamletd was down keep their real time (up to MaxAge
// old); a clock that never synced (Shelly's seconds since boot, a Tasmota
// without NTP in 1970) or one far ahead is not believed.
const (
	// MaxAhead is how far a device's timestamp may be ahead of the receive time.
	MaxAhead = 5 * time.Minute
	// MaxAge is how far a device's timestamp may be behind the receive time.
	MaxAge = 7 * 24 * time.Hour
)

// TimeSource says where a point's timestamp came from.
type TimeSource int

// Time sources.
const (
	// TimeReceived means the device sent no time; the receive time is used.
	TimeReceived TimeSource = iota
	// TimeDevice means the device's own (plausible) time is used.
	TimeDevice
	// TimeImplausible means the device's time was not plausible and the
	// receive time is used instead; callers count it.
	TimeImplausible
)

// String returns "received", "device" or "implausible".
func (s TimeSource) String() string {
	switch s {
	case TimeDevice:
		return "device"
	case TimeImplausible:
		return "implausible"
	default:
		return "received"
	}
}

// Plausible reports whether a device timestamp t is believable for a message
// received at received: not more than MaxAhead ahead and not more than MaxAge
// behind.
func Plausible(t, received time.Time) bool {
	return !t.After(received.Add(MaxAhead)) && !t.Before(received.Add(-MaxAge))
}

// ReportTime returns the timestamp for the points of report r received at
// received, and where it came from. The report's own Time is used when set and
// plausible; when r.TimeLocal is set its wall-clock fields (year to
// nanosecond) are re-read in loc, the area's timezone (UTC when loc is nil), as
// Tasmota sends local time without an offset. Otherwise, or when implausible,
// it is received.
func ReportTime(r devices.Report, received time.Time, loc *time.Location) (time.Time, TimeSource) {
	return deviceTime(r.Time, r.TimeLocal, received, loc)
}

// deviceTime applies ReportTime's rules to one device timestamp t.
func deviceTime(t time.Time, local bool, received time.Time, loc *time.Location) (time.Time, TimeSource) {
	if t.IsZero() {
		return received, TimeReceived
	}
	if local {
		if loc == nil {
			loc = time.UTC
		}
		t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
	}
	if !Plausible(t, received) {
		return received, TimeImplausible
	}
	return t, TimeDevice
}

// eventTime returns the timestamp of an event of a report whose points are at
// reportTime: the event's own time when set and plausible, else reportTime.
func eventTime(e devices.Event, local bool, reportTime, received time.Time, loc *time.Location) (time.Time, TimeSource) {
	if e.Time.IsZero() {
		return reportTime, TimeReceived
	}
	t, src := deviceTime(e.Time, local, received, loc)
	if src == TimeImplausible {
		return reportTime, src
	}
	return t, src
}
