package uptime

import (
	"context"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/devices"
)

// MaxRange is the longest period one report may cover.
const MaxRange = 10 * 366 * 24 * time.Hour

// Sources of a report.
const (
	SourceLocal  = "local"  // this box's store: this area
	SourceInflux = "influx" // InfluxDB: one area or every area of the commune
)

// Reporter answers the uptime and outage reports and keeps planned
// maintenance: the uptime capability behind the HTTP API and the CLI.
type Reporter interface {
	// Uptime computes the report for q.
	Uptime(ctx context.Context, q Query) (*Report, error)
	// Outages hands every outage q selects to fn, device by device in time
	// order, as they are found; an error from fn stops it.
	Outages(ctx context.Context, q Query, fn func(Outage) error) error
	// CreateMaintenance declares a maintenance window.
	CreateMaintenance(ctx context.Context, req MaintenanceRequest, u accounts.User) (Maintenance, error)
	// ListMaintenance returns the windows that overlap [from, to) (every
	// window when both are zero) and concern only zones in zones (any when empty).
	ListMaintenance(ctx context.Context, from, to time.Time, zones []string) ([]Maintenance, error)
	// MaintenanceZones returns the zones of window id's devices; unknown ids wrap devices.ErrNotFound.
	MaintenanceZones(ctx context.Context, id int64) ([]string, error)
	// CancelMaintenance ends window id now; a window already over wraps devices.ErrConflict.
	CancelMaintenance(ctx context.Context, id int64, u accounts.User) (Maintenance, error)
}

// Query selects an uptime or outage report. Zones, when not empty, are the
// only zones the caller may see: the report stays inside them.
type Query struct {
	From, To time.Time
	Kind     devices.Kind
	Zone     string
	Device   string
	Zones    []string
	// Daily adds the daily breakdown (group=day).
	Daily bool
	// Source is SourceLocal (the default) or SourceInflux.
	Source string
	// Area is, for SourceInflux, the one area to report on; "" or "all" means every area.
	Area string
}

// Check validates q's shape, naming the parameter at fault.
func (q Query) Check() error {
	switch {
	case q.From.IsZero():
		return devices.Invalid("from", "Thiếu thời điểm bắt đầu / from is required")
	case q.To.IsZero():
		return devices.Invalid("to", "Thiếu thời điểm kết thúc / to is required")
	case !q.To.After(q.From):
		return devices.Invalid("to", "Thời điểm kết thúc phải sau thời điểm bắt đầu / to (%s) must be after from (%s)",
			q.To.Format(time.RFC3339), q.From.Format(time.RFC3339))
	case q.To.Sub(q.From) > MaxRange:
		return devices.Invalid("from", "Khoảng thời gian dài quá 10 năm / the range from %s to %s is longer than 10 years",
			q.From.Format(time.DateOnly), q.To.Format(time.DateOnly))
	case q.Source != "" && q.Source != SourceLocal && q.Source != SourceInflux:
		return devices.Invalid("source", "Nguồn dữ liệu không hợp lệ / source must be local or influx, not %q", q.Source)
	}
	return nil
}

// selects reports whether d is in q's selection and the caller's zones.
func (q Query) selects(d Device) bool {
	if (q.Kind != "" && d.Kind != q.Kind) || (q.Zone != "" && d.Zone != q.Zone) || (q.Device != "" && d.ID != q.Device) {
		return false
	}
	return len(q.Zones) == 0 || (d.Zone != "" && slices.Contains(q.Zones, d.Zone))
}

// MaintenanceRequest is the body of POST /api/v1/maintenance: planned work
// on devices, excluded from uptime.
type MaintenanceRequest struct {
	Target   devices.Target `json:"target"`
	From     string         `json:"from"`
	To       string         `json:"to"`
	Note     string         `json:"note,omitempty"`
	FromTime time.Time      `json:"-"`
	ToTime   time.Time      `json:"-"`
	// Devices are the target devices, resolved and zone-checked by the server.
	Devices []devices.Device `json:"-"`
}

// Validate parses the times and checks the request, naming the field at fault.
func (m *MaintenanceRequest) Validate() error {
	var err error
	if m.FromTime, err = time.Parse(time.RFC3339, m.From); err != nil {
		return devices.Invalid("from", "Thời điểm không hợp lệ / from must be an RFC 3339 time, not %q", m.From)
	}
	if m.ToTime, err = time.Parse(time.RFC3339, m.To); err != nil {
		return devices.Invalid("to", "Thời điểm không hợp lệ / to must be an RFC 3339 time, not %q", m.To)
	}
	if !m.ToTime.After(m.FromTime) {
		return devices.Invalid("to", "Thời điểm kết thúc phải sau bắt đầu / to must be after from")
	}
	if m.ToTime.Sub(m.FromTime) > MaxRange {
		return devices.Invalid("to", "Bảo trì dài quá 10 năm / maintenance longer than 10 years")
	}
	if utf8.RuneCountInString(m.Note) > 500 {
		return devices.Invalid("note", "Ghi chú quá dài / note is longer than 500 characters")
	}
	if e := m.Target.Check("target"); e != nil {
		return e
	}
	return nil
}

// Maintenance is a declared maintenance window. Status is planned, active,
// over or cancelled (at Now).
type Maintenance struct {
	ID          int64          `json:"id"`
	From        time.Time      `json:"from"`
	To          time.Time      `json:"to"`
	Target      devices.Target `json:"target"`
	Note        string         `json:"note"`
	Devices     []string       `json:"devices"`
	Zones       []string       `json:"zones"`
	Status      string         `json:"status"`
	CreatedBy   string         `json:"created_by"`
	CreatedAt   time.Time      `json:"created_at"`
	CancelledBy string         `json:"cancelled_by,omitempty"`
	CancelledAt *time.Time     `json:"cancelled_at"`
}
