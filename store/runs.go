package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Run is one period during which the daemon was running.
type Run struct {
	ID        int64
	StartedAt time.Time
	StoppedAt time.Time // zero while running or when the run ended in a crash
	LastAlive time.Time // the last heartbeat; the end of a crashed run
	Version   string
}

// StartRun records that the daemon started now and returns the run's id.
func (s *DB) StartRun(ctx context.Context, version string) (int64, error) {
	now := formatTime(s.Now())
	res, err := s.db.ExecContext(ctx,
		`INSERT INTO daemon_runs (started_at, last_alive, version) VALUES (?, ?, ?)`, now, now, version)
	if err != nil {
		return 0, fmt.Errorf("start run: %w", err)
	}
	return res.LastInsertId()
}

// Heartbeat records that run id is still alive now.
func (s *DB) Heartbeat(ctx context.Context, id int64) error {
	_, err := s.db.ExecContext(ctx, `UPDATE daemon_runs SET last_alive = ? WHERE id = ?`, formatTime(s.Now()), id)
	if err != nil {
		return fmt.Errorf("heartbeat: %w", err)
	}
	return nil
}

// StopRun records that run id ended cleanly now.
func (s *DB) StopRun(ctx context.Context, id int64) error {
	now := formatTime(s.Now())
	_, err := s.db.ExecContext(ctx, `UPDATE daemon_runs SET stopped_at = ?, last_alive = ? WHERE id = ?`, now, now, id)
	if err != nil {
		return fmt.Errorf("stop run: %w", err)
	}
	return nil
}

// RunByID returns run id, or ErrNotFound.
func (s *DB) RunByID(ctx context.Context, id int64) (Run, error) {
	var r Run
	var started, alive string
	var stopped sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT id, started_at, stopped_at, last_alive, version FROM daemon_runs WHERE id = ?`, id).
		Scan(&r.ID, &started, &stopped, &alive, &r.Version)
	if err == sql.ErrNoRows {
		return r, fmt.Errorf("run %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("run %d: %w", id, err)
	}
	r.StartedAt, _ = parseTime(started)
	r.LastAlive, _ = parseTime(alive)
	if stopped.Valid {
		r.StoppedAt, _ = parseTime(stopped.String)
	}
	return r, nil
}

// Runs returns the runs that overlap [from, to), oldest first.
func (s *DB) Runs(ctx context.Context, from, to time.Time) ([]Run, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, started_at, stopped_at, last_alive, version FROM daemon_runs
		WHERE started_at < ? AND last_alive >= ? ORDER BY started_at`, formatTime(to), formatTime(from))
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	defer rows.Close()
	var runs []Run
	for rows.Next() {
		var r Run
		var started, alive string
		var stopped sql.NullString
		if err := rows.Scan(&r.ID, &started, &stopped, &alive, &r.Version); err != nil {
			return nil, err
		}
		r.StartedAt, _ = parseTime(started)
		r.LastAlive, _ = parseTime(alive)
		if stopped.Valid {
			r.StoppedAt, _ = parseTime(stopped.String)
		}
		runs = append(runs, r)
	}
	return runs, rows.Err()
}

// ShiftRun moves the start and last heartbeat of run id by d: the run
// started while the wall clock was wrong, and d is the correction found once
// it was right (clockguard.Guard.Correction).
func (s *DB) ShiftRun(ctx context.Context, id int64, d time.Duration) error {
	r, err := s.RunByID(ctx, id)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `UPDATE daemon_runs SET started_at = ?, last_alive = ? WHERE id = ?`,
		formatTime(r.StartedAt.Add(d)), formatTime(r.LastAlive.Add(d)), id)
	if err != nil {
		return fmt.Errorf("shift run %d: %w", id, err)
	}
	return nil
}

// VoidRun ends run id as covering no time at all: it ran, but the wall clock
// was wrong throughout, so when is unknown, and reports count that time as
// unknown rather than as watched at a wrong time.
func (s *DB) VoidRun(ctx context.Context, id int64) error {
	_, err := s.db.ExecContext(ctx, `UPDATE daemon_runs SET stopped_at = started_at, last_alive = started_at WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("void run %d: %w", id, err)
	}
	return nil
}
