package web

import (
	"net/http"

	"github.com/hamlet-vn/hamlet/lights"
)

// lightReport is GET /api/v1/lights/report?from=&to=[&zone=]: burning hours
// and kWh per light and day, with zone totals, inside the caller's zones.
func (s *Server) lightReport(w http.ResponseWriter, r *http.Request, c *call) {
	qs, e := queryParams(r, "from", "to", "zone")
	if e != nil {
		writeError(w, e)
		return
	}
	req := lights.ReportRequest{From: qs.Get("from"), To: qs.Get("to")}
	for _, f := range []string{"from", "to"} {
		if qs.Get(f) == "" {
			writeError(w, fieldError(f, codeBadParam, "Thiếu tham số %s (YYYY-MM-DD) / query parameter %s (YYYY-MM-DD) is required", f, f))
			return
		}
	}
	switch z := qs.Get("zone"); {
	case z != "":
		req.Zones = []string{z}
	case !c.user.AllZones():
		req.Zones = c.user.Zones
	}
	rep, err := s.opts.Lights.Report(r.Context(), req)
	if err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}
