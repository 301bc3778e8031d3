package web

import "net/http"

// scheduleList is GET /api/v1/schedules.
func (s *Server) scheduleList(w http.ResponseWriter, r *http.Request, c *call) {
	list, err := s.opts.Scheduler.List(r.Context(), r.URL.Query().Get("kind"))
	if err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	if list == nil {
		list = []Schedule{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"schedules": list})
}
