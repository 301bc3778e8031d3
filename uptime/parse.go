package uptime

import (
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// ParseTime reads a report bound named name: an RFC 3339 time, or a
// YYYY-MM-DD date in loc meaning the start of that day (or, with endOfDay,
// the next midnight, so that a "to" date includes its day).
func ParseTime(name, v string, loc *time.Location, endOfDay bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if d, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
		if endOfDay {
			d = d.AddDate(0, 0, 1)
		}
		return d, nil
	}
	return time.Time{}, devices.Invalid(name,
		"Thời gian %q không hợp lệ / %s must be an RFC 3339 time (2026-11-01T17:30:00+07:00) or a date (2026-11-01), not %q",
		v, name, v)
}
