package store

import (
	"context"
	"fmt"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// DiscoveredDevice is a device that announced itself, with what it told us.
type DiscoveredDevice struct {
	devices.Device
	Model, Firmware     string
	FirstSeen, LastSeen time.Time
}

// SaveDiscovered inserts or updates a discovered device, keyed by id. An
// existing row keeps the zone and name the installer may have set.
func (s *DB) SaveDiscovered(ctx context.Context, d devices.Device, model, firmware string) error {
	now := formatTime(s.Now())
	_, err := s.db.ExecContext(ctx, `INSERT INTO discovered_devices
		(id, name, kind, zone, protocol, topic, channel, full_topic, model, firmware, first_seen, last_seen)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			kind = CASE WHEN discovered_devices.kind = '' THEN excluded.kind ELSE discovered_devices.kind END,
			topic = excluded.topic, channel = excluded.channel, full_topic = excluded.full_topic,
			model = CASE WHEN excluded.model = '' THEN discovered_devices.model ELSE excluded.model END,
			firmware = CASE WHEN excluded.firmware = '' THEN discovered_devices.firmware ELSE excluded.firmware END,
			last_seen = excluded.last_seen`,
		d.ID, d.Name, string(d.Kind), d.Zone, string(d.Protocol), d.Topic, d.Channel, d.FullTopic, model, firmware, now, now)
	if err != nil {
		return fmt.Errorf("save discovered device %s: %w", d.ID, err)
	}
	return nil
}

// DeleteDiscovered removes a discovered device (its discovery record was cleared).
func (s *DB) DeleteDiscovered(ctx context.Context, id string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM discovered_devices WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete discovered device %s: %w", id, err)
	}
	return nil
}

// AssignDiscovered sets the zone, kind and name the installer chose for a
// discovered device. Empty values leave the field as it is.
func (s *DB) AssignDiscovered(ctx context.Context, id, zone string, kind devices.Kind, name string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE discovered_devices SET
		zone = CASE WHEN ? = '' THEN zone ELSE ? END,
		kind = CASE WHEN ? = '' THEN kind ELSE ? END,
		name = CASE WHEN ? = '' THEN name ELSE ? END WHERE id = ?`,
		zone, zone, string(kind), string(kind), name, name, id)
	if err != nil {
		return fmt.Errorf("assign discovered device %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("discovered device %q: %w", id, ErrNotFound)
	}
	return nil
}

// Discovered lists every discovered device, by id.
func (s *DB) Discovered(ctx context.Context) ([]DiscoveredDevice, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, kind, zone, protocol, topic, channel, full_topic, model, firmware,
		first_seen, last_seen FROM discovered_devices ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list discovered devices: %w", err)
	}
	defer rows.Close()
	var out []DiscoveredDevice
	for rows.Next() {
		var d DiscoveredDevice
		var kind, proto, first, last string
		if err := rows.Scan(&d.ID, &d.Name, &kind, &d.Zone, &proto, &d.Topic, &d.Channel, &d.FullTopic, &d.Model, &d.Firmware, &first, &last); err != nil {
			return nil, err
		}
		d.Kind, d.Protocol, d.Discovered = devices.Kind(kind), devices.Protocol(proto), true
		d.FirstSeen, _ = parseTime(first)
		d.LastSeen, _ = parseTime(last)
		out = append(out, d)
	}
	return out, rows.Err()
}
