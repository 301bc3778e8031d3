package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// TransitionReader reads devices' transitions with statements prepared
// once, for a report over many devices. Close it when done.
type TransitionReader struct {
	prior, span *sql.Stmt
}

// TransitionReader prepares the statements of DeviceTransitions.
func (s *DB) TransitionReader(ctx context.Context) (*TransitionReader, error) {
	prior, err := s.db.PrepareContext(ctx, `SELECT at, state, cause FROM availability_transitions
		WHERE device_id = ? AND at < ? ORDER BY at DESC, id DESC LIMIT 1`)
	if err != nil {
		return nil, fmt.Errorf("prepare transitions: %w", err)
	}
	span, err := s.db.PrepareContext(ctx, `SELECT at, state, cause FROM availability_transitions
		WHERE device_id = ? AND at >= ? AND at < ? ORDER BY at, id`)
	if err != nil {
		prior.Close()
		return nil, fmt.Errorf("prepare transitions: %w", err)
	}
	return &TransitionReader{prior: prior, span: span}, nil
}

// Close releases the statements.
func (r *TransitionReader) Close() error {
	return errors.Join(r.prior.Close(), r.span.Close())
}

// DeviceTransitions appends to buf, in time order, device id's last
// transition before from (when there is one) and its transitions in
// [from, to), and returns buf. The uptime report reads device by device
// with one reused buffer, so a year of transitions is never in memory at
// once and no rows stay open while the report is written out.
func (r *TransitionReader) DeviceTransitions(ctx context.Context, id string, from, to time.Time, buf []Transition) ([]Transition, error) {
	t, ok, err := r.Prior(ctx, id, from)
	if err != nil {
		return buf, err
	}
	if ok {
		buf = append(buf, t)
	}
	return r.Span(ctx, id, from, to, buf)
}

// Prior returns device id's last transition before t; ok is false when it has none.
func (r *TransitionReader) Prior(ctx context.Context, id string, t time.Time) (tr Transition, ok bool, err error) {
	var at, state, cause []byte
	err = r.prior.QueryRowContext(ctx, id, formatTime(t)).Scan(&at, &state, &cause)
	switch {
	case err == sql.ErrNoRows:
		return tr, false, nil
	case err != nil:
		return tr, false, fmt.Errorf("transition before %s of %s: %w", formatTime(t), id, err)
	}
	return transition(id, at, state, cause), true, nil
}

// Span appends device id's transitions in [from, to), in time order, to buf.
func (r *TransitionReader) Span(ctx context.Context, id string, from, to time.Time, buf []Transition) ([]Transition, error) {
	if !from.Before(to) {
		return buf, nil
	}
	rows, err := r.span.QueryContext(ctx, id, formatTime(from), formatTime(to))
	if err != nil {
		return buf, fmt.Errorf("transitions of %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var at, state, cause sql.RawBytes
		if err := rows.Scan(&at, &state, &cause); err != nil {
			return buf, fmt.Errorf("transitions of %s: %w", id, err)
		}
		buf = append(buf, transition(id, at, state, cause))
	}
	return buf, rows.Err()
}

// DeviceTransitions is TransitionReader.DeviceTransitions for one device.
func (s *DB) DeviceTransitions(ctx context.Context, id string, from, to time.Time, buf []Transition) ([]Transition, error) {
	r, err := s.TransitionReader(ctx)
	if err != nil {
		return buf, err
	}
	defer r.Close()
	return r.DeviceTransitions(ctx, id, from, to, buf)
}

func transition(id string, at, state, cause []byte) Transition {
	t, ok := parseTimeFast(at)
	if !ok {
		t, _ = parseTime(string(at))
	}
	return Transition{DeviceID: id, At: t, State: availability(state), Cause: devices.Cause(internCause(cause))}
}

// availability returns the constant for a stored state without allocating.
func availability(b []byte) devices.Availability {
	switch string(b) {
	case string(devices.Online):
		return devices.Online
	case string(devices.Offline):
		return devices.Offline
	case string(devices.Unknown):
		return devices.Unknown
	}
	return devices.Availability(b)
}

// internCause returns the constant for a known cause without allocating.
func internCause(b []byte) string {
	for _, c := range []devices.Cause{devices.CauseLWT, devices.CauseTimeout, devices.CauseFrigate,
		devices.CauseDaemonStart, devices.CauseActivity, devices.CauseLinkDown} {
		if string(b) == string(c) {
			return string(c)
		}
	}
	return string(b)
}

// TransitionDevices returns the ids of the devices with transitions, sorted.
func (s *DB) TransitionDevices(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT device_id FROM availability_transitions ORDER BY device_id`)
	if err != nil {
		return nil, fmt.Errorf("transition devices: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// MaintenanceWindow is planned work on devices, excluded from their uptime.
type MaintenanceWindow struct {
	ID          int64
	From, To    time.Time
	Target      string // the request's target, JSON
	Note        string
	CreatedBy   string
	CreatedAt   time.Time
	CancelledBy string
	CancelledAt time.Time // zero unless cancelled
	Devices     []MaintenanceDevice
}

// MaintenanceDevice is one device of a maintenance window, with its zone
// when the window was declared.
type MaintenanceDevice struct {
	ID, Zone string
}

// CreateMaintenance stores w (its ID and CreatedAt are set here) and returns its id.
func (s *DB) CreateMaintenance(ctx context.Context, w MaintenanceWindow) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO maintenance_windows (starts_at, ends_at, target, note, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, formatTime(w.From), formatTime(w.To), w.Target, w.Note, w.CreatedBy, formatTime(s.Now()))
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		for _, d := range w.Devices {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO maintenance_devices (window_id, device_id, zone) VALUES (?, ?, ?)`,
				id, d.ID, d.Zone); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("create maintenance: %w", err)
	}
	return id, nil
}

// MaintenanceWindows returns the windows that overlap [from, to) (all of
// them when both are zero), oldest first, with their devices.
func (s *DB) MaintenanceWindows(ctx context.Context, from, to time.Time) ([]MaintenanceWindow, error) {
	where, args := "", []any{}
	if !from.IsZero() || !to.IsZero() {
		where, args = "WHERE w.starts_at < ? AND w.ends_at > ?", []any{formatTime(to), formatTime(from)}
	}
	return s.maintenance(ctx, where, args...)
}

// MaintenanceWindowByID returns one window, or ErrNotFound.
func (s *DB) MaintenanceWindowByID(ctx context.Context, id int64) (MaintenanceWindow, error) {
	ws, err := s.maintenance(ctx, "WHERE w.id = ?", id)
	if err != nil {
		return MaintenanceWindow{}, err
	}
	if len(ws) == 0 {
		return MaintenanceWindow{}, fmt.Errorf("maintenance %d: %w", id, ErrNotFound)
	}
	return ws[0], nil
}

func (s *DB) maintenance(ctx context.Context, where string, args ...any) ([]MaintenanceWindow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT w.id, w.starts_at, w.ends_at, w.target, w.note, w.created_by, w.created_at,
		COALESCE(w.cancelled_by, ''), COALESCE(w.cancelled_at, ''), COALESCE(group_concat(d.device_id || char(31) || d.zone, char(30)), '')
		FROM maintenance_windows w LEFT JOIN maintenance_devices d ON d.window_id = w.id `+where+`
		GROUP BY w.id ORDER BY w.starts_at, w.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list maintenance: %w", err)
	}
	defer rows.Close()
	var out []MaintenanceWindow
	for rows.Next() {
		var w MaintenanceWindow
		var from, to, created, cancelled, devs string
		if err := rows.Scan(&w.ID, &from, &to, &w.Target, &w.Note, &w.CreatedBy, &created, &w.CancelledBy, &cancelled, &devs); err != nil {
			return nil, err
		}
		w.From, _ = parseTime(from)
		w.To, _ = parseTime(to)
		w.CreatedAt, _ = parseTime(created)
		if cancelled != "" {
			w.CancelledAt, _ = parseTime(cancelled)
		}
		for _, d := range strings.Split(devs, "\x1e") {
			if id, zone, ok := strings.Cut(d, "\x1f"); ok {
				w.Devices = append(w.Devices, MaintenanceDevice{ID: id, Zone: zone})
			}
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// CancelMaintenance ends window id now, by user by: a window not started
// yet becomes empty, a running one ends now. A window already over or
// cancelled is left alone and ErrConflict-free: ok reports whether it changed.
func (s *DB) CancelMaintenance(ctx context.Context, id int64, by string) (ok bool, err error) {
	now := formatTime(s.Now())
	res, err := s.db.ExecContext(ctx, `UPDATE maintenance_windows
		SET cancelled_by = ?, cancelled_at = ?, ends_at = MAX(starts_at, MIN(ends_at, ?))
		WHERE id = ? AND cancelled_at IS NULL AND ends_at > ?`, by, now, now, id, now)
	if err != nil {
		return false, fmt.Errorf("cancel maintenance %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
