package alerts

import (
	"context"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/store"
)

// Query selects alerts for GET /api/v1/alerts. All is false for open alerts
// only (state=active, the default), true for every alert raised in
// [From, To) plus those still open. Zones, when non-empty, are the only zones
// the caller may see.
type Query struct {
	All      bool
	From, To time.Time
	Zones    []string
}

// List returns the alerts q selects, newest first.
func (m *Manager) List(ctx context.Context, q Query) ([]Alert, error) {
	if q.All && !q.From.Before(q.To) {
		return nil, devices.Invalid("from", "Thời điểm bắt đầu phải trước kết thúc / from must be before to")
	}
	rows, err := m.store.Alerts(ctx, store.AlertQuery{Open: !q.All, From: q.From, To: q.To, Zones: q.Zones})
	if err != nil {
		return nil, err
	}
	out := make([]Alert, 0, len(rows))
	for _, r := range rows {
		out = append(out, fromRow(r))
	}
	return out, nil
}

func toRow(a Alert) store.AlertRow {
	r := store.AlertRow{ID: a.ID, DeviceID: a.Device, Zone: a.Zone, Kind: a.Kind, Condition: string(a.Condition),
		Severity: string(a.Severity), Message: a.Message, RaisedAt: a.RaisedAt, AckedBy: a.AckedBy,
		ResolvingAt: a.resolvingAt, Flaps: a.Flaps}
	if a.AckedAt != nil {
		r.AckedAt = *a.AckedAt
	}
	if a.ClearedAt != nil {
		r.ClearedAt = *a.ClearedAt
	}
	return r
}

func fromRow(r store.AlertRow) Alert {
	a := Alert{ID: r.ID, Device: r.DeviceID, Zone: r.Zone, Kind: r.Kind, Condition: Condition(r.Condition),
		Severity: Severity(r.Severity), State: Active, Message: r.Message, RaisedAt: r.RaisedAt, AckedBy: r.AckedBy,
		Flaps: r.Flaps, resolvingAt: r.ResolvingAt}
	if !r.AckedAt.IsZero() {
		t := r.AckedAt
		a.AckedAt, a.State = &t, Acknowledged
	}
	if !r.ClearedAt.IsZero() {
		t := r.ClearedAt
		a.ClearedAt, a.State = &t, Cleared
	}
	return a
}
