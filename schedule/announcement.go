package schedule

import (
	"encoding/json"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// announcementTiming is the part of an announcement programme that says
// when: a 5-field cron expression in the area's timezone, or one RFC 3339
// instant. The rest of the programme is the announce capability's.
type announcementTiming struct {
	Cron string `json:"cron"`
	At   string `json:"at"`
}

// ValidateAnnouncement checks the timing of an announcement programme:
// exactly one of "cron" (5 fields, read in loc) or "at" (RFC 3339). Other
// fields are left to the announce capability's validator, which may
// replace this one (Service.Register). Errors are *devices.FieldError.
func ValidateAnnouncement(raw json.RawMessage, loc *time.Location) error {
	var tm announcementTiming
	if err := json.Unmarshal(raw, &tm); err != nil {
		return devices.Invalid("program", "Chương trình thông báo không hợp lệ (%v) / bad announcement programme: %v", err, err)
	}
	switch {
	case (tm.Cron == "") == (tm.At == ""):
		return devices.Invalid("program", "Cần đúng một trong cron hoặc at / the programme needs exactly one of \"cron\" or \"at\"")
	case tm.Cron != "":
		if _, err := ParseCron(tm.Cron, loc); err != nil {
			return devices.Invalid("program.cron", "%v", err)
		}
	default:
		if _, err := time.Parse(time.RFC3339, tm.At); err != nil {
			return devices.Invalid("program.at", "Thời điểm phải theo RFC 3339, nhận %q / at must be an RFC 3339 time, got %q", tm.At, tm.At)
		}
	}
	return nil
}

// AnnouncementNext returns the next time after t of an announcement
// programme's "cron" (in loc) or its "at" when that is still ahead.
func AnnouncementNext(raw json.RawMessage, t time.Time, loc *time.Location) (Upcoming, bool) {
	var tm announcementTiming
	if json.Unmarshal(raw, &tm) != nil {
		return Upcoming{}, false
	}
	if tm.Cron != "" {
		c, err := ParseCron(tm.Cron, loc)
		if next := c.Next(t); err == nil && !next.IsZero() {
			return Upcoming{Time: next}, true
		}
		return Upcoming{}, false
	}
	at, err := time.Parse(time.RFC3339, tm.At)
	if err != nil || !at.After(t) {
		return Upcoming{}, false
	}
	return Upcoming{Time: at}, true
}
