package web

import (
	"net/http"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// uptimeGet is GET /api/v1/uptime?from=&to=[&kind=&zone=&device=][&format=csv]:
// the uptime report, kept inside the caller's zones.
func (s *Server) uptimeGet(w http.ResponseWriter, r *http.Request, c *call) {
	q, e := s.uptimeQuery(r, c, "format")
	if e != nil {
		writeError(w, e)
		return
	}
	switch f := r.URL.Query().Get("format"); f {
	case "", "json":
		rep, err := s.opts.Uptime.Uptime(r.Context(), q)
		if err != nil {
			s.hookFailed(w, r, c, err)
			return
		}
		writeJSON(w, http.StatusOK, rep)
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="uptime.csv"`)
		if err := s.opts.Uptime.WriteUptimeCSV(r.Context(), q, w); err != nil {
			s.opts.Logger.Error("uptime csv failed", "err", err)
		}
	default:
		writeError(w, fieldError("format", codeBadParam, "Định dạng không hỗ trợ / query parameter format must be json or csv, not %q", f))
	}
}

// uptimeQuery reads the report parameters shared by uptime and outages.
func (s *Server) uptimeQuery(r *http.Request, c *call, extra ...string) (UptimeQuery, *apiError) {
	qs, e := queryParams(r, append([]string{"from", "to", "kind", "zone", "device"}, extra...)...)
	if e != nil {
		return UptimeQuery{}, e
	}
	from, to, e := s.timeRange(qs, 7*24*time.Hour)
	if e != nil {
		return UptimeQuery{}, e
	}
	q := UptimeQuery{From: from, To: to, Zone: qs.Get("zone"), Device: qs.Get("device"), Zones: c.user.Zones}
	if k := qs.Get("kind"); k != "" {
		kind, err := devices.ParseKind(k)
		if err != nil {
			return UptimeQuery{}, fieldError("kind", codeBadParam, "Loại thiết bị không hợp lệ / query parameter kind: %v", err)
		}
		q.Kind = kind
	}
	return q, nil
}
