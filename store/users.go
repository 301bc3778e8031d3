package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrExists is returned when a row with the same unique key already exists.
var ErrExists = errors.New("already exists")

// ErrLastAdmin is returned when a change would leave no enabled admin.
var ErrLastAdmin = errors.New("would leave no enabled admin")

// User is a person who signs in to the API and the phone UI. The store keeps
// the role as text; the web package gives it meaning.
type User struct {
	ID           int64
	Name         string
	Role         string   // admin, operator or viewer
	Zones        []string // the zones an operator may act on; empty means every zone
	PasswordHash string   // an encoded argon2id hash
	Disabled     bool
	Created      time.Time
	Updated      time.Time
	// PasswordChanged is when the password was last set.
	PasswordChanged time.Time
}

// UserUpdate changes some of a user's fields; nil fields stay as they are.
type UserUpdate struct {
	Role     *string
	Zones    *[]string
	Disabled *bool
}

const userColumns = `id, name, role, zones, password_hash, disabled, created_at, updated_at, password_changed_at`

// CreateUser stores a new user and returns it with its id and times. A user
// with the same name (ignoring case) gives ErrExists.
func (s *DB) CreateUser(ctx context.Context, u User) (User, error) {
	now := s.Now()
	zones, err := encodeZones(u.Zones)
	if err != nil {
		return User{}, err
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO users (name, role, zones, password_hash, disabled,
		created_at, updated_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		u.Name, u.Role, zones, u.PasswordHash, u.Disabled, formatTime(now), formatTime(now), formatTime(now))
	if err != nil {
		if isUniqueViolation(err) {
			return User{}, fmt.Errorf("user %q: %w", u.Name, ErrExists)
		}
		return User{}, fmt.Errorf("create user %q: %w", u.Name, err)
	}
	u.ID, _ = res.LastInsertId()
	u.Created, u.Updated, u.PasswordChanged = now.UTC(), now.UTC(), now.UTC()
	return u, nil
}

// UserByName returns the user with the given name (ignoring case), or ErrNotFound.
func (s *DB) UserByName(ctx context.Context, name string) (User, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE name = ?`, name)
	u, err := scanUser(row)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("user %q: %w", name, ErrNotFound)
	}
	return u, err
}

// Users lists every user, by name.
func (s *DB) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUsers returns how many users exist, disabled ones included.
func (s *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// UpdateUser applies up to the named user and returns the result. Disabling
// a user ends their sessions. A change that would leave no enabled admin
// gives ErrLastAdmin; an unknown name gives ErrNotFound.
func (s *DB) UpdateUser(ctx context.Context, name string, up UserUpdate) (User, error) {
	var out User
	err := s.tx(ctx, func(tx *sql.Tx) error {
		u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE name = ?`, name))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("user %q: %w", name, ErrNotFound)
		}
		if err != nil {
			return err
		}
		wasAdmin := u.Role == "admin" && !u.Disabled
		if up.Role != nil {
			u.Role = *up.Role
		}
		if up.Zones != nil {
			u.Zones = *up.Zones
		}
		if up.Disabled != nil {
			u.Disabled = *up.Disabled
		}
		if wasAdmin && (u.Role != "admin" || u.Disabled) {
			var others int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id != ?`,
				u.ID).Scan(&others); err != nil {
				return err
			}
			if others == 0 {
				return fmt.Errorf("user %q: %w", u.Name, ErrLastAdmin)
			}
		}
		zones, err := encodeZones(u.Zones)
		if err != nil {
			return err
		}
		u.Updated = s.Now().UTC()
		if _, err := tx.ExecContext(ctx, `UPDATE users SET role = ?, zones = ?, disabled = ?, updated_at = ? WHERE id = ?`,
			u.Role, zones, u.Disabled, formatTime(u.Updated), u.ID); err != nil {
			return fmt.Errorf("update user %q: %w", u.Name, err)
		}
		if u.Disabled {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
				return fmt.Errorf("end sessions of %q: %w", u.Name, err)
			}
		}
		out = u
		return nil
	})
	return out, err
}

// SetPassword replaces the named user's password hash and ends every session
// of that user, in one transaction. An unknown name gives ErrNotFound.
func (s *DB) SetPassword(ctx context.Context, name, hash string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		now := formatTime(s.Now())
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE name = ?`,
			hash, now, now, name)
		if err != nil {
			return fmt.Errorf("set password of %q: %w", name, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("user %q: %w", name, ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)`, name); err != nil {
			return fmt.Errorf("end sessions of %q: %w", name, err)
		}
		return nil
	})
}

// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(...any) error }

func scanUser(r rowScanner) (User, error) {
	var u User
	var zones, created, updated, changed string
	if err := r.Scan(&u.ID, &u.Name, &u.Role, &zones, &u.PasswordHash, &u.Disabled, &created, &updated, &changed); err != nil {
		return User{}, err
	}
	u.Zones = decodeZones(zones)
	u.Created, _ = parseTime(created)
	u.Updated, _ = parseTime(updated)
	u.PasswordChanged, _ = parseTime(changed)
	return u, nil
}

// encodeZones stores a zone list as a JSON array; nil becomes [].
func encodeZones(zones []string) (string, error) {
	if zones == nil {
		zones = []string{}
	}
	b, err := json.Marshal(zones)
	if err != nil {
		return "", fmt.Errorf("encode zones: %w", err)
	}
	return string(b), nil
}

// decodeZones reads a JSON array of zone ids; anything else gives nil.
func decodeZones(s string) []string {
	var zones []string
	if json.Unmarshal([]byte(s), &zones) != nil || len(zones) == 0 {
		return nil
	}
	return zones
}

// isUniqueViolation reports whether err is SQLite's UNIQUE constraint failure.
func isUniqueViolation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}
