package store

import (
	"context"
	"fmt"
	"time"
)

// AuditEntry is one state-changing action, allowed or not: who did what to
// what, from where, with which parameters, and how it ended.
type AuditEntry struct {
	ID     int64
	At     time.Time
	User   string // a user name, "token:<name>", "cli", or the name tried at a failed login
	Source string // the client address, or "local" for the command line
	Action string // login, logout, command, user.create, token.revoke, ...
	Target string // what the action was applied to, e.g. "user:an" or "devices:den-01,den-02"
	Params string // the parameters as a JSON object, never a secret
	Result string // ok, failed, denied, throttled, not_available, ...
	Error  string // why it did not succeed, "" when it did
}

// AuditQuery selects audit entries: At in [From, To), optionally one user and
// one action. Limit caps the result (newest first); zero means 1000.
type AuditQuery struct {
	From, To time.Time
	User     string
	Action   string
	Limit    int
}

// AppendAudit stores an audit entry and returns its id.
func (s *DB) AppendAudit(ctx context.Context, e AuditEntry) (int64, error) {
	if e.Params == "" {
		e.Params = "{}"
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO audit_log (at, user, source, action, target, params, result, error)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, formatTime(e.At), e.User, e.Source, e.Action, e.Target, e.Params, e.Result, e.Error)
	if err != nil {
		return 0, fmt.Errorf("append audit %s: %w", e.Action, err)
	}
	return res.LastInsertId()
}

// Audit returns the entries matching q, newest first.
func (s *DB) Audit(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	if q.Limit <= 0 {
		q.Limit = 1000
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, user, source, action, target, params, result, error FROM audit_log
		WHERE at >= ? AND at < ? AND (? = '' OR user = ?) AND (? = '' OR action = ?)
		ORDER BY at DESC, id DESC LIMIT ?`,
		formatTime(q.From), formatTime(q.To), q.User, q.User, q.Action, q.Action, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.User, &e.Source, &e.Action, &e.Target, &e.Params, &e.Result, &e.Error); err != nil {
			return nil, err
		}
		e.At, _ = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
