package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// AlertRow is one alert as stored. Nullable times are zero when unset.
type AlertRow struct {
	ID, DeviceID, Zone, Kind string
	Condition, Severity      string
	Message                  string
	RaisedAt                 time.Time
	AckedAt                  time.Time
	AckedBy                  string
	ResolvingAt              time.Time
	ClearedAt                time.Time
	Flaps                    int
}

// AlertQuery selects alerts. Open limits to alerts not cleared; otherwise
// alerts raised in [From, To) or still open. Zones, when non-empty, limits to
// alerts of those zones (the daemon's own alerts, zone "", are in no zone and
// only shown to users limited to no zone).
type AlertQuery struct {
	Open     bool
	From, To time.Time
	Zones    []string
	Limit    int // newest first; zero means 1000
}

// SaveAlert inserts or updates an alert by id.
func (s *DB) SaveAlert(ctx context.Context, a AlertRow) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO alerts (id, device_id, zone, kind, condition, severity, message,
		raised_at, acked_at, acked_by, resolving_at, cleared_at, flaps) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET zone = excluded.zone, kind = excluded.kind, severity = excluded.severity,
		message = excluded.message, acked_at = excluded.acked_at, acked_by = excluded.acked_by,
		resolving_at = excluded.resolving_at, cleared_at = excluded.cleared_at, flaps = excluded.flaps`,
		a.ID, a.DeviceID, a.Zone, a.Kind, a.Condition, a.Severity, a.Message, formatTime(a.RaisedAt),
		nullTime(a.AckedAt), a.AckedBy, nullTime(a.ResolvingAt), nullTime(a.ClearedAt), a.Flaps)
	if err != nil {
		return fmt.Errorf("save alert %s: %w", a.ID, err)
	}
	return nil
}

// Alerts returns the alerts matching q, newest first.
func (s *DB) Alerts(ctx context.Context, q AlertQuery) ([]AlertRow, error) {
	if q.Limit <= 0 {
		q.Limit = 1000
	}
	where, args := "cleared_at IS NULL", []any{}
	if !q.Open {
		where = "(cleared_at IS NULL OR (raised_at >= ? AND raised_at < ?))"
		args = append(args, formatTime(q.From), formatTime(q.To))
	}
	if len(q.Zones) > 0 {
		where += " AND zone IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(q.Zones)), ", ") + ")"
		for _, z := range q.Zones {
			args = append(args, z)
		}
	}
	return s.queryAlerts(ctx, where+" ORDER BY raised_at DESC, id DESC LIMIT ?", append(args, q.Limit)...)
}

// Alert returns one alert by id, or an error wrapping ErrNotFound.
func (s *DB) Alert(ctx context.Context, id string) (AlertRow, error) {
	rows, err := s.queryAlerts(ctx, "id = ?", id)
	if err != nil {
		return AlertRow{}, err
	}
	if len(rows) == 0 {
		return AlertRow{}, fmt.Errorf("alert %s: %w", id, ErrNotFound)
	}
	return rows[0], nil
}

func (s *DB) queryAlerts(ctx context.Context, where string, args ...any) ([]AlertRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, device_id, zone, kind, condition, severity, message, raised_at,
		acked_at, acked_by, resolving_at, cleared_at, flaps FROM alerts WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list alerts: %w", err)
	}
	defer rows.Close()
	var out []AlertRow
	for rows.Next() {
		var a AlertRow
		var raised string
		var acked, resolving, cleared sql.NullString
		if err := rows.Scan(&a.ID, &a.DeviceID, &a.Zone, &a.Kind, &a.Condition, &a.Severity, &a.Message, &raised,
			&acked, &a.AckedBy, &resolving, &cleared, &a.Flaps); err != nil {
			return nil, err
		}
		a.RaisedAt, _ = parseTime(raised)
		a.AckedAt, a.ResolvingAt, a.ClearedAt = fromNull(acked), fromNull(resolving), fromNull(cleared)
		out = append(out, a)
	}
	return out, rows.Err()
}

// OutboxItem is one webhook notification waiting to be delivered.
type OutboxItem struct {
	ID       int64
	Target   string
	Body     []byte
	Attempts int
	NextAt   time.Time
}

// EnqueueOutbox stores a notification for target, due now.
func (s *DB) EnqueueOutbox(ctx context.Context, target string, body []byte, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO alert_outbox (target, body, next_at, created_at) VALUES (?, ?, ?, ?)`,
		target, body, formatTime(now), formatTime(now))
	if err != nil {
		return fmt.Errorf("enqueue alert notification: %w", err)
	}
	return nil
}

// DueOutbox returns up to limit notifications due at now, oldest first.
func (s *DB) DueOutbox(ctx context.Context, now time.Time, limit int) ([]OutboxItem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, target, body, attempts, next_at FROM alert_outbox
		WHERE next_at <= ? ORDER BY id LIMIT ?`, formatTime(now), limit)
	if err != nil {
		return nil, fmt.Errorf("list alert outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxItem
	for rows.Next() {
		var it OutboxItem
		var next string
		if err := rows.Scan(&it.ID, &it.Target, &it.Body, &it.Attempts, &next); err != nil {
			return nil, err
		}
		it.NextAt, _ = parseTime(next)
		out = append(out, it)
	}
	return out, rows.Err()
}

// OutboxLen returns how many notifications wait.
func (s *DB) OutboxLen(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM alert_outbox`).Scan(&n)
	return n, err
}

// DeliveredOutbox removes a delivered notification.
func (s *DB) DeliveredOutbox(ctx context.Context, id int64) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM alert_outbox WHERE id = ?`, id)
	return err
}

// RetryOutbox records a failed attempt and when to try again.
func (s *DB) RetryOutbox(ctx context.Context, id int64, next time.Time, cause string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE alert_outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?`,
		formatTime(next), cause, id)
	return err
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

func fromNull(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	t, _ := parseTime(s.String)
	return t
}

// RunBefore returns the latest run started before run id, and false when
// there is none (the first start).
func (s *DB) RunBefore(ctx context.Context, id int64) (Run, bool, error) {
	var r Run
	var started, alive string
	var stopped sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT id, started_at, stopped_at, last_alive, version FROM daemon_runs
		WHERE id < ? ORDER BY id DESC LIMIT 1`, id).Scan(&r.ID, &started, &stopped, &alive, &r.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, false, nil
	}
	if err != nil {
		return Run{}, false, fmt.Errorf("previous run: %w", err)
	}
	r.StartedAt, _ = parseTime(started)
	r.LastAlive, _ = parseTime(alive)
	r.StoppedAt = fromNull(stopped)
	return r, true, nil
}
