package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// LightDesired is one light's desired state as the lights capability keeps it.
type LightDesired struct {
	Device     string
	On         bool
	Brightness *int // nil: never set
	Override   bool
	By         string
	Until      time.Time // zero: until the programme's next step
	At         time.Time
}

// SaveLightDesired inserts or replaces a light's desired state.
func (s *DB) SaveLightDesired(ctx context.Context, d LightDesired) error {
	var b sql.NullInt64
	if d.Brightness != nil {
		b = sql.NullInt64{Int64: int64(*d.Brightness), Valid: true}
	}
	until := ""
	if !d.Until.IsZero() {
		until = formatTime(d.Until)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO light_desired
		(device_id, light_on, brightness, override, set_by, override_until, set_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (device_id) DO UPDATE SET light_on = excluded.light_on, brightness = excluded.brightness,
			override = excluded.override, set_by = excluded.set_by, override_until = excluded.override_until,
			set_at = excluded.set_at`,
		d.Device, d.On, b, d.Override, d.By, until, formatTime(d.At))
	if err != nil {
		return fmt.Errorf("save desired state of %s: %w", d.Device, err)
	}
	return nil
}

// LightDesiredAll returns every light's desired state, by device id.
func (s *DB) LightDesiredAll(ctx context.Context) ([]LightDesired, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT device_id, light_on, brightness, override, set_by, override_until, set_at
		FROM light_desired ORDER BY device_id`)
	if err != nil {
		return nil, fmt.Errorf("list desired light states: %w", err)
	}
	defer rows.Close()
	var out []LightDesired
	for rows.Next() {
		var d LightDesired
		var b sql.NullInt64
		var until, at string
		if err := rows.Scan(&d.Device, &d.On, &b, &d.Override, &d.By, &until, &at); err != nil {
			return nil, fmt.Errorf("read desired light state: %w", err)
		}
		if b.Valid {
			v := int(b.Int64)
			d.Brightness = &v
		}
		if until != "" {
			if d.Until, err = parseTime(until); err != nil {
				return nil, fmt.Errorf("desired state of %s: override_until: %w", d.Device, err)
			}
		}
		if d.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("desired state of %s: set_at: %w", d.Device, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
