package web

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/hamlet-vn/hamlet/store"
)

// auditView is one audit log entry as the API shows it.
type auditView struct {
	ID     int64           `json:"id"`
	Time   jsonTime        `json:"time"`
	User   string          `json:"user"`
	Source string          `json:"source"`
	Action string          `json:"action"`
	Target string          `json:"target"`
	Params json.RawMessage `json:"params"`
	Result string          `json:"result"`
	Error  string          `json:"error,omitempty"`
}

// auditList is GET /api/v1/audit?from=&to=[&user=&action=&limit=]: newest
// first, the last 24 hours by default. Admins read every entry; others their
// own and those about devices and zones they may see (auditScope).
func (s *Server) auditList(w http.ResponseWriter, r *http.Request, c *call) {
	q, e := queryParams(r, "from", "to", "user", "action", "limit")
	if e != nil {
		writeError(w, e)
		return
	}
	from, to, e := s.timeRange(q, 24*time.Hour)
	if e != nil {
		writeError(w, e)
		return
	}
	limit, e := intParam(q, "limit", 500, 1, 5000)
	if e != nil {
		writeError(w, e)
		return
	}
	entries, err := s.opts.Store.Audit(r.Context(), store.AuditQuery{From: from, To: to,
		User: q.Get("user"), Action: q.Get("action"), Scope: auditScope(c.user), Limit: limit + 1})
	if err != nil {
		s.fail(w, "audit query failed", err)
		return
	}
	truncated := len(entries) > limit
	if truncated {
		entries = entries[:limit]
	}
	out := make([]auditView, len(entries))
	for i, en := range entries {
		params := json.RawMessage(en.Params)
		if !json.Valid(params) {
			params = json.RawMessage("{}")
		}
		out[i] = auditView{ID: en.ID, Time: s.jt(en.At), User: en.User, Source: en.Source, Action: en.Action,
			Target: en.Target, Params: params, Result: en.Result, Error: en.Error}
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": s.jt(from), "to": s.jt(to), "entries": out, "truncated": truncated})
}

// auditScope is what u may read of the audit log: everything for an admin;
// else u's own entries and those whose zones u may all see, never user and
// token management. The store applies it in the query.
func auditScope(u User) store.AuditScope {
	return store.AuditScope{All: u.Role == RoleAdmin, User: u.Name, AllZones: u.AllZones(), Zones: u.Zones}
}
