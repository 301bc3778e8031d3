package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Token is an API token for an integration. Only the SHA-256 (hex) of the
// secret is stored; the secret is shown once, when the token is created.
type Token struct {
	ID        int64
	Name      string   // what the token is for
	Role      string   // operator or viewer
	Zones     []string // as for users: empty means every zone
	Hash      string
	CreatedBy string
	Created   time.Time
	LastUsed  time.Time // zero if never used
	Revoked   time.Time // zero while the token is valid
}

const tokenColumns = `id, name, role, zones, hash, created_by, created_at, last_used, revoked_at`

// CreateToken stores a new token and returns it with its id and creation time.
func (s *DB) CreateToken(ctx context.Context, t Token) (Token, error) {
	zones, err := encodeZones(t.Zones)
	if err != nil {
		return Token{}, err
	}
	t.Created = s.Now().UTC()
	res, err := s.db.ExecContext(ctx, `INSERT INTO api_tokens (name, role, zones, hash, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, t.Name, t.Role, zones, t.Hash, t.CreatedBy, formatTime(t.Created))
	if err != nil {
		if isUniqueViolation(err) {
			return Token{}, fmt.Errorf("token: %w", ErrExists)
		}
		return Token{}, fmt.Errorf("create token %q: %w", t.Name, err)
	}
	t.ID, _ = res.LastInsertId()
	return t, nil
}

// TokenByHash returns the valid (not revoked) token with the given hash, or ErrNotFound.
func (s *DB) TokenByHash(ctx context.Context, hash string) (Token, error) {
	t, err := scanToken(s.db.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens
		WHERE hash = ? AND revoked_at IS NULL`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, fmt.Errorf("token: %w", ErrNotFound)
	}
	return t, err
}

// Tokens lists every token, revoked ones included, newest first.
func (s *DB) Tokens(ctx context.Context) ([]Token, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken marks token id revoked at `at` and returns it. A token that does
// not exist or is already revoked gives ErrNotFound.
func (s *DB) RevokeToken(ctx context.Context, id int64, at time.Time) (Token, error) {
	var out Token
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, formatTime(at), id)
		if err != nil {
			return fmt.Errorf("revoke token %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("token %d: %w", id, ErrNotFound)
		}
		out, err = scanToken(tx.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE id = ?`, id))
		return err
	})
	return out, err
}

// TouchToken records that token id was used at `at`.
func (s *DB) TouchToken(ctx context.Context, id int64, at time.Time) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE api_tokens SET last_used = ? WHERE id = ?`, formatTime(at), id); err != nil {
		return fmt.Errorf("touch token %d: %w", id, err)
	}
	return nil
}

func scanToken(r rowScanner) (Token, error) {
	var t Token
	var zones, created string
	var used, revoked sql.NullString
	if err := r.Scan(&t.ID, &t.Name, &t.Role, &zones, &t.Hash, &t.CreatedBy, &created, &used, &revoked); err != nil {
		return Token{}, err
	}
	t.Zones = decodeZones(zones)
	t.Created, _ = parseTime(created)
	if used.Valid {
		t.LastUsed, _ = parseTime(used.String)
	}
	if revoked.Valid {
		t.Revoked, _ = parseTime(revoked.String)
	}
	return t, nil
}
