package web

import (
	"context"
	"net/http"
)

// scheduleGet is GET /api/v1/schedules/{id}.
func (s *Server) scheduleGet(w http.ResponseWriter, r *http.Request, c *call) {
	sc, err := s.opts.Scheduler.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	writeJSON(w, http.StatusOK, sc)
}

// scheduleZones returns the zones of schedule {id}, for the policy.
func (s *Server) scheduleZones(ctx context.Context, r *http.Request) ([]string, error) {
	sc, err := s.opts.Scheduler.Get(ctx, r.PathValue("id"))
	return sc.Zones, err
}
