package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/uptime"
)

// uptimeGet is GET /api/v1/uptime?from=&to=[&kind=&zone=&device=][&group=day]
// [&source=local|influx][&area=A|all][&format=json|csv]: the uptime report,
// kept inside the caller's zones.
func (s *Server) uptimeGet(w http.ResponseWriter, r *http.Request, c *call) {
	q, e := s.uptimeQuery(r, c, "format", "group")
	if e != nil {
		writeError(w, e)
		return
	}
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "csv" {
		writeError(w, fieldError("format", codeBadParam, "Định dạng không hỗ trợ / query parameter format must be json or csv, not %q", format))
		return
	}
	switch g := r.URL.Query().Get("group"); g {
	case "":
	case "day":
		q.Daily = true
	default:
		writeError(w, fieldError("group", codeBadParam, "Cách nhóm không hỗ trợ / query parameter group must be day, not %q", g))
		return
	}
	rep, err := s.opts.Uptime.Uptime(r.Context(), q)
	if err != nil {
		s.uptimeFailed(w, r, c, err)
		return
	}
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="uptime.csv"`)
		if err := uptime.WriteCSV(w, rep); err != nil {
			s.opts.Logger.Warn("uptime csv not written", "err", err)
		}
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// uptimeQuery reads the report parameters shared by uptime and outages.
func (s *Server) uptimeQuery(r *http.Request, c *call, extra ...string) (UptimeQuery, *apiError) {
	qs, e := queryParams(r, append([]string{"from", "to", "kind", "zone", "device", "source", "area"}, extra...)...)
	if e != nil {
		return UptimeQuery{}, e
	}
	from, to, e := s.timeRange(qs, 7*24*time.Hour)
	if e != nil {
		return UptimeQuery{}, e
	}
	q := UptimeQuery{From: from, To: to, Zone: qs.Get("zone"), Device: qs.Get("device"), Zones: c.user.Zones,
		Source: qs.Get("source"), Area: qs.Get("area")}
	if k := qs.Get("kind"); k != "" {
		kind, err := devices.ParseKind(k)
		if err != nil {
			return UptimeQuery{}, fieldError("kind", codeBadParam, "Loại thiết bị không hợp lệ / query parameter kind: %v", err)
		}
		q.Kind = kind
	}
	if err := q.Check(); err != nil {
		var fe *devices.FieldError
		if errors.As(err, &fe) {
			return UptimeQuery{}, fieldError(fe.Field, codeBadParam, "%s", fe.Message)
		}
		return UptimeQuery{}, fieldError("query", codeBadParam, "%s", err.Error())
	}
	return q, nil
}
