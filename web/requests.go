package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hamlet-vn/hamlet/devices"
)

// targeted is a request body whose target the policy resolves and
// zone-checks before the handler runs.
type targeted interface {
	// targets returns the target, its field name and the one kind the
	// request acts on ("" for any).
	targets() (t Target, field string, kind devices.Kind)
	// setDevices receives the resolved, allowed devices.
	setDevices(ds []devices.Device)
}

// maxHold bounds a command's hold duration.
const maxHold = 7 * 24 * time.Hour

// CommandRequest is the body of POST /api/v1/commands.
type CommandRequest struct {
	Target Target    `json:"target"`
	Set    *LightSet `json:"set"`
	// Hold is how long the new state holds against the schedule: "" (until
	// the schedule's next step, the default), "next" (the same, explicitly)
	// or a duration such as "2h".
	Hold string `json:"hold,omitempty"`
	// HoldFor is Hold parsed; zero for "" and "next".
	HoldFor time.Duration `json:"-"`
	// Devices are the target's lights, resolved and zone-checked by the server.
	Devices []devices.Device `json:"-"`
}

// LightSet is the light state a command asks for; at least one field is set.
type LightSet struct {
	On         *bool `json:"on,omitempty"`
	Brightness *int  `json:"brightness,omitempty"` // 0–100
}

func (c *CommandRequest) targets() (Target, string, devices.Kind) {
	return c.Target, "target", devices.Light
}
func (c *CommandRequest) setDevices(ds []devices.Device) { c.Devices = ds }

func (c *CommandRequest) validate() *apiError {
	if e := checkTarget(c.Target, "target"); e != nil {
		return e
	}
	if c.Set == nil || (c.Set.On == nil && c.Set.Brightness == nil) {
		return fieldError("set", codeInvalid, "Thiếu trạng thái cần đặt / \"set\" needs \"on\" and/or \"brightness\"")
	}
	if b := c.Set.Brightness; b != nil && (*b < 0 || *b > 100) {
		return fieldError("set.brightness", codeInvalid, "Độ sáng phải từ 0 đến 100 / set.brightness must be 0–100, not %d", *b)
	}
	switch c.Hold {
	case "", "next":
	default:
		d, err := time.ParseDuration(c.Hold)
		if err != nil || d <= 0 || d > maxHold {
			return fieldError("hold", codeInvalid,
				"Thời gian giữ không hợp lệ / hold must be \"next\" or a duration such as \"2h\" up to 168h, not %q", c.Hold)
		}
		c.HoldFor = d
	}
	return nil
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

// ScheduleRequest is the body of POST and PUT /api/v1/schedules. The
// programme (light steps or a recurring announcement) is the Scheduler's to
// decode and validate.
type ScheduleRequest struct {
	Name    string          `json:"name"`
	Targets Target          `json:"targets"`
	Program json.RawMessage `json:"program"`
	Enabled *bool           `json:"enabled,omitempty"` // default true
	// Devices are the target devices, resolved and zone-checked by the server.
	Devices []devices.Device `json:"-"`
}

func (s *ScheduleRequest) targets() (Target, string, devices.Kind) { return s.Targets, "targets", "" }
func (s *ScheduleRequest) setDevices(ds []devices.Device)          { s.Devices = ds }

func (s *ScheduleRequest) validate() *apiError {
	if strings.TrimSpace(s.Name) == "" || utf8.RuneCountInString(s.Name) > 100 {
		return fieldError("name", codeInvalid, "Cần tên lịch (tối đa 100 ký tự) / name is required, at most 100 characters")
	}
	if len(s.Program) == 0 || s.Program[0] != '{' {
		return fieldError("program", codeInvalid, "Cần chương trình là một đối tượng JSON / program must be a JSON object")
	}
	return checkTarget(s.Targets, "targets")
}

// MaintenanceRequest is the body of POST /api/v1/maintenance: planned work
// on devices, excluded from uptime.
type MaintenanceRequest struct {
	Target   Target    `json:"target"`
	From     string    `json:"from"`
	To       string    `json:"to"`
	Note     string    `json:"note,omitempty"`
	FromTime time.Time `json:"-"`
	ToTime   time.Time `json:"-"`
	// Devices are the target devices, resolved and zone-checked by the server.
	Devices []devices.Device `json:"-"`
}

func (m *MaintenanceRequest) targets() (Target, string, devices.Kind) { return m.Target, "target", "" }
func (m *MaintenanceRequest) setDevices(ds []devices.Device)          { m.Devices = ds }

func (m *MaintenanceRequest) validate() *apiError {
	var err error
	if m.FromTime, err = time.Parse(time.RFC3339, m.From); err != nil {
		return fieldError("from", codeInvalid, "Thời điểm không hợp lệ / from must be an RFC 3339 time, not %q", m.From)
	}
	if m.ToTime, err = time.Parse(time.RFC3339, m.To); err != nil {
		return fieldError("to", codeInvalid, "Thời điểm không hợp lệ / to must be an RFC 3339 time, not %q", m.To)
	}
	if !m.ToTime.After(m.FromTime) {
		return fieldError("to", codeInvalid, "Thời điểm kết thúc phải sau bắt đầu / to must be after from")
	}
	if utf8.RuneCountInString(m.Note) > 500 {
		return fieldError("note", codeInvalid, "Ghi chú quá dài / note is longer than 500 characters")
	}
	return checkTarget(m.Target, "target")
}

// hookError maps a hook's error to an apiError; ok is false for an internal error.
func hookError(err error) (*apiError, bool) {
	var fe *devices.FieldError
	switch {
	case errors.As(err, &fe):
		return fieldError(fe.Field, codeInvalid, "%s", fe.Message), true
	case errors.Is(err, ErrInvalid):
		return errorf(http.StatusBadRequest, codeInvalid, "%s", err.Error()), true
	case errors.Is(err, ErrNotFound):
		return errorf(http.StatusNotFound, codeNotFound, "Không tìm thấy / %s", err.Error()), true
	case errors.Is(err, ErrConflict):
		return errorf(http.StatusConflict, codeConflict, "%s", err.Error()), true
	}
	return errInternal(), false
}

// hookFailed answers a hook's error, logging internal ones, and audits the
// failure on state-changing routes.
func (s *Server) hookFailed(w http.ResponseWriter, r *http.Request, c *call, err error) {
	e, known := hookError(err)
	if !known {
		s.opts.Logger.Error("capability failed", "route", infoFrom(r.Context()).route, "user", c.user.Name, "err", err)
	}
	if c.action != "" {
		s.record(r, c, AuditEntry{Result: "failed", Error: err.Error()})
	}
	writeError(w, e)
}
