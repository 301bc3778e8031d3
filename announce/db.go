package announce

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// db holds the capability's SQL (tables of store migration 0008).
type db struct{ sql *sql.DB }

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTS(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// record is an announcement with what the service keeps beside it.
type record struct {
	Announcement
	Audio   string           `json:"audio"`   // the file the speakers play
	Token   string           `json:"token"`   // its fetch token
	Targets []devices.Device `json:"targets"` // the speakers
	Seq     int64            `json:"seq"`     // creation order (ties of Created)
}

// save writes an announcement and its deliveries in one transaction.
func (d db) save(ctx context.Context, r *record) error {
	tx, err := d.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("announce: save %s: %w", r.ID, err)
	}
	defer tx.Rollback()
	if err := saveTx(ctx, tx, r); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("announce: save %s: %w", r.ID, err)
	}
	return nil
}

// saveTx writes an announcement and its deliveries in tx.
func saveTx(ctx context.Context, tx *sql.Tx, r *record) error {
	body, err := json.Marshal(struct {
		Announcement
		Deliveries []Delivery       `json:"deliveries,omitempty"`
		Audio      string           `json:"audio"`
		Token      string           `json:"token"`
		Targets    []devices.Device `json:"targets"`
		Seq        int64            `json:"seq"`
	}{Announcement: r.Announcement, Audio: r.Audio, Token: r.Token, Targets: r.Targets, Seq: r.Seq})
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO announcements (id, title, body, status, created, at, expires, audio)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET body = excluded.body, status = excluded.status, at = excluded.at, expires = excluded.expires`,
		r.ID, r.Title, body, r.Status, ts(r.Created), ts(r.At), ts(r.Expires), r.Audio); err != nil {
		return fmt.Errorf("announce: save %s: %w", r.ID, err)
	}
	for _, dl := range r.Deliveries {
		b, _ := json.Marshal(dl)
		if _, err := tx.ExecContext(ctx, `INSERT INTO announce_deliveries (announcement, device, body) VALUES (?, ?, ?)
			ON CONFLICT (announcement, device) DO UPDATE SET body = excluded.body`, r.ID, dl.Device, b); err != nil {
			return fmt.Errorf("announce: save delivery %s/%s: %w", r.ID, dl.Device, err)
		}
	}
	return nil
}

// load reads the announcements created in [from, to) (all when both are
// zero), or only the open ones (status not final) when open is true.
func (d db) load(ctx context.Context, from, to time.Time, open bool, limit int) ([]*record, error) {
	q := `SELECT body FROM announcements WHERE 1 = 1`
	var args []any
	if !from.IsZero() {
		q += ` AND created >= ?`
		args = append(args, ts(from))
	}
	if !to.IsZero() {
		q += ` AND created < ?`
		args = append(args, ts(to))
	}
	if open {
		q += ` AND status IN ('scheduled', 'sending')`
	}
	q += ` ORDER BY created DESC`
	if limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, limit)
	}
	rows, err := d.sql.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("announce: load: %w", err)
	}
	var out []*record
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			rows.Close()
			return nil, err
		}
		r := new(record)
		if err := json.Unmarshal(b, r); err != nil {
			rows.Close()
			return nil, fmt.Errorf("announce: load: %w", err)
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, r := range out {
		if err := d.loadDeliveries(ctx, r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (d db) loadDeliveries(ctx context.Context, r *record) error {
	rows, err := d.sql.QueryContext(ctx, `SELECT body FROM announce_deliveries WHERE announcement = ? ORDER BY rowid`, r.ID)
	if err != nil {
		return fmt.Errorf("announce: deliveries of %s: %w", r.ID, err)
	}
	defer rows.Close()
	r.Deliveries = nil
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return err
		}
		var dl Delivery
		if err := json.Unmarshal(b, &dl); err != nil {
			return err
		}
		r.Deliveries = append(r.Deliveries, dl)
	}
	return rows.Err()
}

// get reads one announcement; unknown ids wrap devices.ErrNotFound.
func (d db) get(ctx context.Context, id string) (*record, error) {
	var b []byte
	err := d.sql.QueryRowContext(ctx, `SELECT body FROM announcements WHERE id = ?`, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("announcement %q: %w", id, devices.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("announce: get %s: %w", id, err)
	}
	r := new(record)
	if err := json.Unmarshal(b, r); err != nil {
		return nil, err
	}
	return r, d.loadDeliveries(ctx, r)
}

// addToken records a fetch token for path until expires.
func (d db) addToken(ctx context.Context, token, path, contentType string, expires time.Time) error {
	_, err := d.sql.ExecContext(ctx, `INSERT INTO announce_tokens (token, path, content_type, expires) VALUES (?, ?, ?, ?)`,
		token, path, contentType, ts(expires))
	if err != nil {
		return fmt.Errorf("announce: token: %w", err)
	}
	return nil
}

// token returns the file of a token valid at now.
func (d db) token(ctx context.Context, token string, now time.Time) (path, contentType string, err error) {
	var exp string
	err = d.sql.QueryRowContext(ctx, `SELECT path, content_type, expires FROM announce_tokens WHERE token = ?`, token).
		Scan(&path, &contentType, &exp)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !parseTS(exp).After(now) {
		return "", "", fmt.Errorf("media token: %w", devices.ErrNotFound)
	}
	return path, contentType, err
}
