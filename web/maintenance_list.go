package web

import (
	"net/http"
	"time"
)

// maintenanceList is GET /api/v1/maintenance[?from=&to=]: the maintenance
// windows (every one, or those overlapping the range) whose devices all lie
// in the caller's zones.
func (s *Server) maintenanceList(w http.ResponseWriter, r *http.Request, c *call) {
	qs, e := queryParams(r, "from", "to")
	if e != nil {
		writeError(w, e)
		return
	}
	var from, to time.Time
	if qs.Get("from") != "" || qs.Get("to") != "" {
		if from, to, e = s.timeRange(qs, 30*24*time.Hour); e != nil {
			writeError(w, e)
			return
		}
	}
	list, err := s.opts.Uptime.ListMaintenance(r.Context(), from, to, c.user.Zones)
	if err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"maintenance": list})
}
