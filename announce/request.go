package announce

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hamlet-vn/hamlet/devices"
)

// Limits of a request.
const (
	MaxTitle  = 200  // runes in a title
	MaxText   = 5000 // runes of text to speak
	MaxCron   = 120  // bytes of a cron expression
	MaxRepeat = 10   // plays of one announcement
)

// Request is the body of POST /api/v1/announcements.
type Request struct {
	Title    string         `json:"title"`
	Text     string         `json:"text,omitempty"`     // spoken by text-to-speech; or
	MediaID  string         `json:"media_id,omitempty"` // an uploaded audio file
	Targets  devices.Target `json:"targets"`
	Priority string         `json:"priority,omitempty"` // normal (default), priority or emergency
	At       string         `json:"at,omitempty"`       // RFC 3339; empty: now
	Cron     string         `json:"cron,omitempty"`     // a recurring announcement
	Repeat   int            `json:"repeat,omitempty"`   // times played, 1–10; default 1
	Volume   *int           `json:"volume,omitempty"`   // 0–100; default the speaker's
	// AtTime is At parsed; zero when At is empty.
	AtTime time.Time `json:"-"`
	// Devices are the target speakers, resolved and zone-checked by the server.
	Devices []devices.Device `json:"-"`
}

// Check validates the request's shape and fills its defaults (priority
// normal, repeat 1, AtTime). The error names the field at fault.
func (a *Request) Check() *devices.FieldError {
	switch {
	case strings.TrimSpace(a.Title) == "" || utf8.RuneCountInString(a.Title) > MaxTitle:
		return devices.Invalid("title", "Cần tiêu đề (tối đa 200 ký tự) / title is required, at most 200 characters")
	case (a.Text == "") == (a.MediaID == ""):
		return devices.Invalid("text", "Cần đúng một trong text hoặc media_id / give exactly one of \"text\" or \"media_id\"")
	case a.Text != "" && strings.TrimSpace(a.Text) == "":
		return devices.Invalid("text", "Nội dung trống / text is blank")
	case utf8.RuneCountInString(a.Text) > MaxText:
		return devices.Invalid("text", "Nội dung quá dài / text is longer than 5000 characters")
	case a.At != "" && a.Cron != "":
		return devices.Invalid("cron", "Chỉ dùng một trong at hoặc cron / give \"at\" or \"cron\", not both")
	case len(a.Cron) > MaxCron:
		return devices.Invalid("cron", "Biểu thức cron quá dài / cron is longer than 120 characters")
	case a.Repeat < 0 || a.Repeat > MaxRepeat:
		return devices.Invalid("repeat", "Số lần phát phải từ 1 đến 10 / repeat must be 1–10, not %d", a.Repeat)
	case a.Volume != nil && (*a.Volume < 0 || *a.Volume > 100):
		return devices.Invalid("volume", "Âm lượng phải từ 0 đến 100 / volume must be 0–100, not %d", *a.Volume)
	}
	switch a.Priority {
	case "":
		a.Priority = string(devices.Normal)
	case string(devices.Normal), string(devices.Urgent), string(devices.Emergency):
	default:
		return devices.Invalid("priority", "Mức ưu tiên không hợp lệ / priority must be normal, priority or emergency, not %q", a.Priority)
	}
	if a.Repeat == 0 {
		a.Repeat = 1
	}
	if a.At != "" {
		t, err := time.Parse(time.RFC3339, a.At)
		if err != nil {
			return devices.Invalid("at", "Thời điểm không hợp lệ / at must be an RFC 3339 time such as 2026-11-01T17:30:00+07:00, not %q", a.At)
		}
		a.AtTime = t
	}
	if a.Cron != "" {
		if _, err := ParseCron(a.Cron); err != nil {
			return devices.Invalid("cron", "Biểu thức cron không hợp lệ / cron %q: %v", a.Cron, err)
		}
	}
	return a.Targets.Check("targets")
}
