package web

import "net/http"

// scheduleDelete is DELETE /api/v1/schedules/{id}; the policy checked the
// schedule's zones.
func (s *Server) scheduleDelete(w http.ResponseWriter, r *http.Request, c *call) {
	id := r.PathValue("id")
	if err := s.opts.Scheduler.Delete(r.Context(), id, c.user); err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	s.record(r, c, AuditEntry{Result: "ok", Ref: id})
	noContent(w)
}
