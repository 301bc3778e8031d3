package web

import (
	"net/http"
	"time"

	"github.com/hamlet-vn/hamlet/alerts"
)

// alertList is GET /api/v1/alerts[?state=active|all&from=&to=]: open alerts
// (state=active, the default), or every alert raised in the period plus the
// open ones (state=all, the last 7 days by default), in the caller's zones.
func (s *Server) alertList(w http.ResponseWriter, r *http.Request, c *call) {
	qs, e := queryParams(r, "state", "from", "to")
	if e != nil {
		writeError(w, e)
		return
	}
	q := alerts.Query{Zones: c.user.Zones}
	switch st := qs.Get("state"); st {
	case "", "active":
	case "all":
		q.All = true
		if q.From, q.To, e = s.timeRange(qs, 7*24*time.Hour); e != nil {
			writeError(w, e)
			return
		}
	default:
		writeError(w, fieldError("state", codeBadParam,
			"Trạng thái không hợp lệ / query parameter state must be active or all, not %q", st))
		return
	}
	list, err := s.opts.Alerts.List(r.Context(), q)
	if err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	for i := range list {
		list[i].RaisedAt = list[i].RaisedAt.In(s.opts.Location)
	}
	writeJSON(w, http.StatusOK, map[string]any{"alerts": list})
}
