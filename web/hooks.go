package web

import (
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// The capabilities behind the control and report routes are hooks: small
// interfaces that other packages implement and the daemon passes in Options.
// A nil hook makes its routes answer 503 not_available, after authentication,
// role and zone checks, so the whole API and its policy exist from the start.
// Hooks receive requests already decoded, validated and zone-checked, with
// the targets resolved to devices; they must not check roles or zones again.
//
// A hook reports a client mistake by returning an error that wraps
// ErrInvalid (400, with the error's text as the message), ErrNotFound (404)
// or ErrConflict (409); any other error is a 500 whose cause is logged.

// Errors hooks wrap to choose the status.
var (
	ErrInvalid  = devices.ErrInvalid
	ErrNotFound = devices.ErrNotFound
	ErrConflict = devices.ErrConflict
)

// Commander carries out light commands (the lights capability).
type Commander interface {
	// Command sends req to its devices and waits a few seconds for
	// confirmation; it returns one result per device.
	Command(ctx context.Context, req CommandRequest, u User) (CommandResult, error)
}

// CommandResult is the answer to POST /api/v1/commands.
type CommandResult struct {
	ID      string         `json:"id"`
	Results []DeviceResult `json:"results"`
}

// DeviceResult is what became of a command for one device. Status is
// confirmed, pending, offline, timeout or rejected.
type DeviceResult struct {
	Device string `json:"device"`
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

// CommandEvent is a command result sent to event streams (event "command").
type CommandEvent struct {
	ID     string    `json:"id"`
	Device string    `json:"device"`
	Zone   string    `json:"zone"`
	Status string    `json:"status"`
	Error  string    `json:"error,omitempty"`
	User   string    `json:"user,omitempty"`
	At     time.Time `json:"time"`
}

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

// UptimeReporter answers the uptime and outage reports and records planned
// maintenance (the uptime capability). Reports are marshalled to JSON as they are.
type UptimeReporter interface {
	Uptime(ctx context.Context, q UptimeQuery) (any, error)
	// WriteUptimeCSV writes the report for q as CSV (format=csv).
	WriteUptimeCSV(ctx context.Context, q UptimeQuery, w io.Writer) error
	Outages(ctx context.Context, q UptimeQuery) (any, error)
	Maintenance(ctx context.Context, req MaintenanceRequest, u User) (any, error)
}

// UptimeQuery selects an uptime or outage report. Zones, when not empty, are
// the only zones the caller may see: the report must stay inside them.
type UptimeQuery struct {
	From, To time.Time
	Kind     devices.Kind
	Zone     string
	Device   string
	Zones    []string
}

// AuditSink receives audit entries that concern devices (commands,
// announcements, maintenance) after they are stored, for export as InfluxDB
// "command" points. Record must not block for long.
type AuditSink interface {
	Record(e AuditEntry)
}
