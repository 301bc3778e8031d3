package schedule

import (
	"context"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/devices"
)

// The kinds of schedule.
const (
	KindLight        = "light"        // a light programme (Programme)
	KindAnnouncement = "announcement" // a recurring announcement
)

// Schedule is a stored schedule as the API shows it. Zones are the zones of
// its target devices (and of its target zones): changing or deleting it needs
// every one of them. Next is the programme's next step after now, when one
// comes; Tonight a light programme's steps this evening at their times.
type Schedule struct {
	ID      string          `json:"id"`
	Kind    string          `json:"kind"`
	Name    string          `json:"name"`
	Targets devices.Target  `json:"targets"`
	Program json.RawMessage `json:"program"`
	Enabled bool            `json:"enabled"`
	Zones   []string        `json:"zones"`
	Next    *Upcoming       `json:"next,omitempty"`
	// Tonight is a light programme's run this evening (before noon: the
	// night in progress), each step at its actual time, enabled or not.
	Tonight   *Night    `json:"tonight,omitempty"`
	Created   time.Time `json:"created"`
	CreatedBy string    `json:"created_by"`
	Updated   time.Time `json:"updated"`
	UpdatedBy string    `json:"updated_by"`
}

// Upcoming is what a schedule does next: at Time, Step (light programmes).
type Upcoming struct {
	Time time.Time `json:"time"`
	Step *Step     `json:"step,omitempty"`
}

// Request is the body of POST and PUT /api/v1/schedules. The programme is
// checked by the validator registered for its kind (Service.Register).
type Request struct {
	// Kind is "light" (the default) or "announcement"; it cannot change.
	Kind    string          `json:"kind,omitempty"`
	Name    string          `json:"name"`
	Targets devices.Target  `json:"targets"`
	Program json.RawMessage `json:"program"`
	// Enabled defaults to true on create and to the current value on update.
	Enabled *bool `json:"enabled,omitempty"`
	// Devices are the target devices, resolved and zone-checked by the server.
	Devices []devices.Device `json:"-"`
}

// DeviceKind is the kind of device a schedule of this request's kind
// targets: lights for light programmes, speakers for announcements, none
// for an unknown kind.
func (r *Request) DeviceKind() devices.Kind {
	switch r.kind() {
	case KindLight:
		return devices.Light
	case KindAnnouncement:
		return devices.Speaker
	}
	return ""
}

func (r *Request) kind() string {
	if r.Kind == "" {
		return KindLight
	}
	return r.Kind
}

// Validate checks the request's shape (the programme itself is the kind's
// validator's); errors are *devices.FieldError.
func (r *Request) Validate() error {
	if k := r.kind(); k != KindLight && k != KindAnnouncement {
		return devices.Invalid("kind", "Loại lịch phải là light hoặc announcement, nhận %q / kind must be \"light\" or \"announcement\", got %q", r.Kind, r.Kind)
	}
	if strings.TrimSpace(r.Name) == "" || utf8.RuneCountInString(r.Name) > 100 {
		return devices.Invalid("name", "Cần tên lịch (tối đa 100 ký tự) / name is required, at most 100 characters")
	}
	if len(r.Program) == 0 || r.Program[0] != '{' {
		return devices.Invalid("program", "Cần chương trình là một đối tượng JSON / program must be a JSON object")
	}
	if e := r.Targets.Check("targets"); e != nil {
		return e
	}
	return nil
}

// Scheduler is what the HTTP API needs of the schedule capability; *Service
// implements it.
type Scheduler interface {
	// List returns the schedules of kind (every kind when empty).
	List(ctx context.Context, kind string) ([]Schedule, error)
	// Get returns one schedule; unknown ids wrap devices.ErrNotFound.
	Get(ctx context.Context, id string) (Schedule, error)
	Create(ctx context.Context, req Request, u accounts.User) (Schedule, error)
	Update(ctx context.Context, id string, req Request, u accounts.User) (Schedule, error)
	Delete(ctx context.Context, id string, u accounts.User) error
}
