package web

import (
	"context"
	"io"
	"time"
	"unicode/utf8"

	"github.com/hamlet-vn/hamlet/devices"
)

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
