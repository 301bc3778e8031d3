package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
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
	// Zones are the zones the entry concerns: those of the devices acted on,
	// of the announcement or schedule changed; "" for a device in no zone.
	// Empty for actions about no device (sign-ins, users, tokens, media).
	Zones []string
}

// AuditScope says which entries a reader may see. The zero value sees
// nothing but the reader's own entries (with an empty User, none).
type AuditScope struct {
	// All sees every entry (admins).
	All bool
	// User sees the entries made as (or, for sign-ins, tried as) this name.
	User string
	// AllZones sees, besides its own, every entry that concerns a device or
	// zone, whatever its zones; else Zones limits those to entries whose
	// zones all lie in Zones. User and token management entries (actions
	// user.* and token.*) are never seen this way.
	AllZones bool
	Zones    []string
}

// AuditQuery selects audit entries: At in [From, To), optionally one user and
// one action, and only what Scope may see. Limit caps the result (newest
// first); zero means 1000.
type AuditQuery struct {
	From, To time.Time
	User     string
	Action   string
	Scope    AuditScope
	Limit    int
}

// AppendAudit stores an audit entry and returns its id.
func (s *DB) AppendAudit(ctx context.Context, e AuditEntry) (int64, error) {
	if e.Params == "" {
		e.Params = "{}"
	}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, user, source, action, target, params, result, error)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, formatTime(e.At), e.User, e.Source, e.Action, e.Target, e.Params, e.Result, e.Error)
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		zones := slices.Clone(e.Zones)
		slices.Sort(zones)
		for _, z := range slices.Compact(zones) {
			if _, err := tx.ExecContext(ctx, `INSERT INTO audit_zones (audit_id, zone) VALUES (?, ?)`, id, z); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("append audit %s: %w", e.Action, err)
	}
	return id, nil
}

// auditVisible is the WHERE clause of what an AuditScope may see; its
// parameters are (all, user, all zones, zones as a JSON array).
const auditVisible = `(?1 OR a.user = ?2 OR (
	a.action NOT LIKE 'user.%' AND a.action NOT LIKE 'token.%'
	AND EXISTS (SELECT 1 FROM audit_zones z WHERE z.audit_id = a.id)
	AND (?3 OR NOT EXISTS (SELECT 1 FROM audit_zones z WHERE z.audit_id = a.id
		AND z.zone NOT IN (SELECT value FROM json_each(?4))))))`

// Audit returns the entries matching q, newest first, with their zones.
func (s *DB) Audit(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	if q.Limit <= 0 {
		q.Limit = 1000
	}
	zones, _ := json.Marshal(append([]string{}, q.Scope.Zones...))
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.at, a.user, a.source, a.action, a.target, a.params, a.result, a.error,
		COALESCE((SELECT json_group_array(zone) FROM audit_zones z WHERE z.audit_id = a.id), '[]')
		FROM audit_log a
		WHERE a.at >= ?5 AND a.at < ?6 AND (?7 = '' OR a.user = ?7) AND (?8 = '' OR a.action = ?8) AND `+auditVisible+`
		ORDER BY a.at DESC, a.id DESC LIMIT ?9`,
		q.Scope.All, q.Scope.User, q.Scope.AllZones, string(zones),
		formatTime(q.From), formatTime(q.To), q.User, q.Action, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at, zs string
		if err := rows.Scan(&e.ID, &at, &e.User, &e.Source, &e.Action, &e.Target, &e.Params, &e.Result, &e.Error, &zs); err != nil {
			return nil, err
		}
		e.At, _ = parseTime(at)
		if err := json.Unmarshal([]byte(zs), &e.Zones); err != nil {
			return nil, fmt.Errorf("list audit: zones of %d: %w", e.ID, err)
		}
		if len(e.Zones) == 0 {
			e.Zones = nil
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
