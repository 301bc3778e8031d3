package web

import (
	"context"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/hamlet-vn/hamlet/devices"
)

// Scheduler keeps light programmes and recurring announcements.
type Scheduler interface {
	Schedules(ctx context.Context) ([]Schedule, error)
	// Schedule returns one schedule; unknown ids wrap ErrNotFound.
	Schedule(ctx context.Context, id string) (Schedule, error)
	CreateSchedule(ctx context.Context, req ScheduleRequest, u User) (Schedule, error)
	UpdateSchedule(ctx context.Context, id string, req ScheduleRequest, u User) (Schedule, error)
	DeleteSchedule(ctx context.Context, id string, u User) error
}

// Schedule is a stored schedule. Zones are the zones of its target devices:
// changing or deleting it needs every one of them.
type Schedule struct {
	ID      string          `json:"id"`
	Name    string          `json:"name"`
	Targets Target          `json:"targets"`
	Program json.RawMessage `json:"program"`
	Enabled bool            `json:"enabled"`
	Zones   []string        `json:"zones"`
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
