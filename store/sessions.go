package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Session is a signed-in browser. IDHash is the SHA-256 (hex) of the secret
// session id that only the browser's cookie holds. The caller supplies the
// times, from its own clock.
type Session struct {
	IDHash    string
	UserID    int64
	Created   time.Time
	LastSeen  time.Time
	Expires   time.Time
	Remote    string // the client address at sign-in
	UserAgent string
}

// CreateSession stores a new session.
func (s *DB) CreateSession(ctx context.Context, se Session) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, last_seen, expires_at, remote, user_agent)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, se.IDHash, se.UserID, formatTime(se.Created), formatTime(se.LastSeen),
		formatTime(se.Expires), se.Remote, se.UserAgent)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionUser returns the session with the given id hash and its user, or
// ErrNotFound. Judging expiry is the caller's job.
func (s *DB) SessionUser(ctx context.Context, idHash string) (Session, User, error) {
	row := s.db.QueryRowContext(ctx, `SELECT s.id_hash, s.user_id, s.created_at, s.last_seen, s.expires_at, s.remote, s.user_agent,
		u.id, u.name, u.role, u.zones, u.password_hash, u.disabled, u.created_at, u.updated_at, u.password_changed_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`, idHash)
	var se Session
	var u User
	var created, seen, expires, zones, uc, uu, upc string
	err := row.Scan(&se.IDHash, &se.UserID, &created, &seen, &expires, &se.Remote, &se.UserAgent,
		&u.ID, &u.Name, &u.Role, &zones, &u.PasswordHash, &u.Disabled, &uc, &uu, &upc)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, User{}, fmt.Errorf("session: %w", ErrNotFound)
	}
	if err != nil {
		return Session{}, User{}, fmt.Errorf("read session: %w", err)
	}
	se.Created, _ = parseTime(created)
	se.LastSeen, _ = parseTime(seen)
	se.Expires, _ = parseTime(expires)
	u.Zones = decodeZones(zones)
	u.Created, _ = parseTime(uc)
	u.Updated, _ = parseTime(uu)
	u.PasswordChanged, _ = parseTime(upc)
	return se, u, nil
}

// TouchSession records that the session was used at `at`.
func (s *DB) TouchSession(ctx context.Context, idHash string, at time.Time) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE sessions SET last_seen = ? WHERE id_hash = ?`, formatTime(at), idHash); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession ends one session; ending one that does not exist is not an error.
func (s *DB) DeleteSession(ctx context.Context, idHash string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of a user and returns how many there were.
func (s *DB) DeleteUserSessions(ctx context.Context, userID int64) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
	if err != nil {
		return 0, fmt.Errorf("delete sessions of user %d: %w", userID, err)
	}
	return res.RowsAffected()
}

// DeleteStaleSessions removes the sessions that expired before now or were
// last used before now-idle, and returns how many.
func (s *DB) DeleteStaleSessions(ctx context.Context, now time.Time, idle time.Duration) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR last_seen <= ?`,
		formatTime(now), formatTime(now.Add(-idle)))
	if err != nil {
		return 0, fmt.Errorf("delete stale sessions: %w", err)
	}
	return res.RowsAffected()
}
