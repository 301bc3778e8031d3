package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

// Transition is one recorded availability change of one device.
type Transition struct {
	DeviceID string
	At       time.Time
	State    devices.Availability
	Cause    devices.Cause
}

// RecordTransitions stores availability transitions in one transaction.
func (s *DB) RecordTransitions(ctx context.Context, ts []devices.Transition) error {
	if len(ts) == 0 {
		return nil
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO availability_transitions (device_id, at, state, cause) VALUES (?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, t := range ts {
			if _, err := stmt.ExecContext(ctx, t.Device.ID, formatTime(t.At), string(t.To), string(t.Cause)); err != nil {
				return fmt.Errorf("record transition of %s: %w", t.Device.ID, err)
			}
		}
		return nil
	})
}

// Transitions returns the transitions in [from, to), plus, for each device,
// the last transition before from (so the state at from is known), ordered by
// device then time. An empty deviceID means every device.
func (s *DB) Transitions(ctx context.Context, deviceID string, from, to time.Time) ([]Transition, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT device_id, at, state, cause FROM availability_transitions t
		WHERE (? = '' OR device_id = ?) AND (
			(at >= ? AND at < ?) OR
			id = (SELECT id FROM availability_transitions p WHERE p.device_id = t.device_id AND p.at < ?
			      ORDER BY p.at DESC, p.id DESC LIMIT 1))
		ORDER BY device_id, at, id`,
		deviceID, deviceID, formatTime(from), formatTime(to), formatTime(from))
	if err != nil {
		return nil, fmt.Errorf("list transitions: %w", err)
	}
	defer rows.Close()
	var out []Transition
	for rows.Next() {
		var tr Transition
		var at, state, cause string
		if err := rows.Scan(&tr.DeviceID, &at, &state, &cause); err != nil {
			return nil, err
		}
		tr.At, _ = parseTime(at)
		tr.State, tr.Cause = devices.Availability(state), devices.Cause(cause)
		out = append(out, tr)
	}
	return out, rows.Err()
}
