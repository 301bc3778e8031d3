package web

import (
	"context"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hamlet-vn/hamlet/devices"
)

// Announcer sends and tracks announcements on speakers (the announce capability).
type Announcer interface {
	Announce(ctx context.Context, req AnnouncementRequest, u User) (Announcement, error)
	// Announcement returns one announcement; unknown ids wrap ErrNotFound.
	Announcement(ctx context.Context, id string) (Announcement, error)
	Cancel(ctx context.Context, id string, u User) error
}

// Announcement is an announcement and its deliveries. Zones are the zones of
// its target speakers: cancelling it needs every one of them.
type Announcement struct {
	ID         string     `json:"id"`
	Title      string     `json:"title"`
	Priority   string     `json:"priority"`
	Status     string     `json:"status"`
	Zones      []string   `json:"zones"`
	Deliveries []Delivery `json:"deliveries"`
}

// Delivery is an announcement's progress on one speaker. Status is pending,
// sent, playing, done, failed or offline.
type Delivery struct {
	Device  string    `json:"device"`
	Status  string    `json:"status"`
	Error   string    `json:"error,omitempty"`
	Updated time.Time `json:"updated"`
}

// MediaStore keeps uploaded audio that speakers fetch.
type MediaStore interface {
	// Upload stores body (already bounded in size) of the given content type.
	Upload(ctx context.Context, contentType string, body io.Reader, u User) (Media, error)
}

// Media is an uploaded audio file.
type Media struct {
	ID          string  `json:"id"`
	ContentType string  `json:"content_type"`
	DurationS   float64 `json:"duration_s"`
}

// AnnouncementRequest is the body of POST /api/v1/announcements.
type AnnouncementRequest struct {
	Title    string `json:"title"`
	Text     string `json:"text,omitempty"`     // spoken by text-to-speech; or
	MediaID  string `json:"media_id,omitempty"` // an uploaded audio file
	Targets  Target `json:"targets"`
	Priority string `json:"priority,omitempty"` // normal (default), priority or emergency
	At       string `json:"at,omitempty"`       // RFC 3339; empty: now
	Cron     string `json:"cron,omitempty"`     // a recurring announcement
	Repeat   int    `json:"repeat,omitempty"`   // times played, 1–10; default 1
	Volume   *int   `json:"volume,omitempty"`   // 0–100; default the speaker's
	// AtTime is At parsed; zero when At is empty.
	AtTime time.Time `json:"-"`
	// Devices are the target speakers, resolved and zone-checked by the server.
	Devices []devices.Device `json:"-"`
}

func (a *AnnouncementRequest) targets() (Target, string, devices.Kind) {
	return a.Targets, "targets", devices.Speaker
}
func (a *AnnouncementRequest) setDevices(ds []devices.Device) { a.Devices = ds }

func (a *AnnouncementRequest) validate() *apiError {
	switch {
	case strings.TrimSpace(a.Title) == "" || utf8.RuneCountInString(a.Title) > 200:
		return fieldError("title", codeInvalid, "Cần tiêu đề (tối đa 200 ký tự) / title is required, at most 200 characters")
	case (a.Text == "") == (a.MediaID == ""):
		return fieldError("text", codeInvalid, "Cần đúng một trong text hoặc media_id / give exactly one of \"text\" or \"media_id\"")
	case utf8.RuneCountInString(a.Text) > 5000:
		return fieldError("text", codeInvalid, "Nội dung quá dài / text is longer than 5000 characters")
	case a.At != "" && a.Cron != "":
		return fieldError("cron", codeInvalid, "Chỉ dùng một trong at hoặc cron / give \"at\" or \"cron\", not both")
	case len(a.Cron) > 120:
		return fieldError("cron", codeInvalid, "Biểu thức cron quá dài / cron is longer than 120 characters")
	case a.Repeat < 0 || a.Repeat > 10:
		return fieldError("repeat", codeInvalid, "Số lần phát phải từ 1 đến 10 / repeat must be 1–10, not %d", a.Repeat)
	case a.Volume != nil && (*a.Volume < 0 || *a.Volume > 100):
		return fieldError("volume", codeInvalid, "Âm lượng phải từ 0 đến 100 / volume must be 0–100, not %d", *a.Volume)
	}
	switch a.Priority {
	case "":
		a.Priority = string(devices.Normal)
	case string(devices.Normal), string(devices.Urgent), string(devices.Emergency):
	default:
		return fieldError("priority", codeInvalid,
			"Mức ưu tiên không hợp lệ / priority must be normal, priority or emergency, not %q", a.Priority)
	}
	if a.Repeat == 0 {
		a.Repeat = 1
	}
	if a.At != "" {
		t, err := time.Parse(time.RFC3339, a.At)
		if err != nil {
			return fieldError("at", codeInvalid, "Thời điểm không hợp lệ / at must be an RFC 3339 time such as 2026-11-01T17:30:00+07:00, not %q", a.At)
		}
		a.AtTime = t
	}
	return checkTarget(a.Targets, "targets")
}
