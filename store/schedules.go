package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ScheduleRow is a stored schedule: a light programme or a recurring
// announcement. Targets and Program are JSON as the API takes them.
type ScheduleRow struct {
	ID        int64
	Kind      string // light or announcement
	Name      string
	Targets   json.RawMessage
	Program   json.RawMessage
	Enabled   bool
	Zones     []string // the zones of the target devices
	Created   time.Time
	CreatedBy string
	Updated   time.Time
	UpdatedBy string
}

const scheduleColumns = `id, kind, name, targets, program, enabled, zones, created_at, created_by, updated_at, updated_by`

// CreateSchedule stores a new schedule and returns it with its id and times
// (Created and Updated are now; UpdatedBy is CreatedBy).
func (s *DB) CreateSchedule(ctx context.Context, r ScheduleRow) (ScheduleRow, error) {
	zones, err := encodeZones(r.Zones)
	if err != nil {
		return ScheduleRow{}, err
	}
	r.Created = s.Now().UTC()
	r.Updated, r.UpdatedBy = r.Created, r.CreatedBy
	res, err := s.db.ExecContext(ctx, `INSERT INTO schedules (kind, name, targets, program, enabled, zones,
		created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Kind, r.Name, string(r.Targets), string(r.Program), r.Enabled, zones,
		formatTime(r.Created), r.CreatedBy, formatTime(r.Updated), r.UpdatedBy)
	if err != nil {
		return ScheduleRow{}, fmt.Errorf("create schedule %q: %w", r.Name, err)
	}
	r.ID, _ = res.LastInsertId()
	return r, nil
}

// UpdateSchedule replaces the name, targets, program, enabled flag and zones
// of schedule r.ID (its kind stays), setting Updated to now and UpdatedBy;
// an unknown id gives ErrNotFound.
func (s *DB) UpdateSchedule(ctx context.Context, r ScheduleRow) (ScheduleRow, error) {
	zones, err := encodeZones(r.Zones)
	if err != nil {
		return ScheduleRow{}, err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE schedules SET name = ?, targets = ?, program = ?, enabled = ?, zones = ?,
		updated_at = ?, updated_by = ? WHERE id = ?`, r.Name, string(r.Targets), string(r.Program), r.Enabled, zones,
		formatTime(s.Now()), r.UpdatedBy, r.ID)
	if err != nil {
		return ScheduleRow{}, fmt.Errorf("update schedule %d: %w", r.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ScheduleRow{}, fmt.Errorf("schedule %d: %w", r.ID, ErrNotFound)
	}
	return s.Schedule(ctx, r.ID)
}

// DeleteSchedule removes a schedule; an unknown id gives ErrNotFound.
func (s *DB) DeleteSchedule(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM schedules WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete schedule %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("schedule %d: %w", id, ErrNotFound)
	}
	return nil
}

// Schedule returns one schedule, or ErrNotFound.
func (s *DB) Schedule(ctx context.Context, id int64) (ScheduleRow, error) {
	r, err := scanSchedule(s.db.QueryRowContext(ctx, `SELECT `+scheduleColumns+` FROM schedules WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return ScheduleRow{}, fmt.Errorf("schedule %d: %w", id, ErrNotFound)
	}
	return r, err
}

// Schedules lists the schedules of kind (every kind when empty) by id.
func (s *DB) Schedules(ctx context.Context, kind string) ([]ScheduleRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+scheduleColumns+` FROM schedules
		WHERE ? = '' OR kind = ? ORDER BY id`, kind, kind)
	if err != nil {
		return nil, fmt.Errorf("list schedules: %w", err)
	}
	defer rows.Close()
	var out []ScheduleRow
	for rows.Next() {
		r, err := scanSchedule(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func scanSchedule(row interface{ Scan(...any) error }) (ScheduleRow, error) {
	var r ScheduleRow
	var targets, program, zones, created, updated string
	if err := row.Scan(&r.ID, &r.Kind, &r.Name, &targets, &program, &r.Enabled, &zones,
		&created, &r.CreatedBy, &updated, &r.UpdatedBy); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return r, err
		}
		return r, fmt.Errorf("read schedule: %w", err)
	}
	r.Targets, r.Program, r.Zones = json.RawMessage(targets), json.RawMessage(program), decodeZones(zones)
	var err error
	if r.Created, err = parseTime(created); err != nil {
		return r, fmt.Errorf("schedule %d created_at: %w", r.ID, err)
	}
	if r.Updated, err = parseTime(updated); err != nil {
		return r, fmt.Errorf("schedule %d updated_at: %w", r.ID, err)
	}
	return r, nil
}
