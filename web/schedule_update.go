package web

import "net/http"

// scheduleUpdate is PUT /api/v1/schedules/{id}; the policy zone-checked both
// the schedule as it is and the new targets.
func (s *Server) scheduleUpdate(w http.ResponseWriter, r *http.Request, c *call) {
	req := &c.body.(*scheduleBody).Request
	id := r.PathValue("id")
	c.target = "schedule:" + id
	sc, err := s.opts.Scheduler.Update(r.Context(), id, *req, c.user)
	if err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	s.record(r, c, AuditEntry{Result: "ok", Ref: id})
	writeJSON(w, http.StatusOK, sc)
}
