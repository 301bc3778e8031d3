package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// UserLang returns the language user id chose for the phone UI ("vi" or
// "en"), or "" when they never chose one.
func (s *DB) UserLang(ctx context.Context, userID int64) (string, error) {
	var lang string
	err := s.db.QueryRowContext(ctx, `SELECT lang FROM user_prefs WHERE user_id = ?`, userID).Scan(&lang)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("user lang: %w", err)
	}
	return lang, nil
}

// SetUserLang remembers the language user id chose ("vi" or "en").
func (s *DB) SetUserLang(ctx context.Context, userID int64, lang string) error {
	if lang != "vi" && lang != "en" {
		return fmt.Errorf("user lang %q: must be vi or en", lang)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO user_prefs (user_id, lang) VALUES (?, ?)
		ON CONFLICT (user_id) DO UPDATE SET lang = excluded.lang`, userID, lang)
	if err != nil {
		return fmt.Errorf("set user lang: %w", err)
	}
	return nil
}
