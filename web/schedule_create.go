package web

import "net/http"

// scheduleCreate is POST /api/v1/schedules; the policy zone-checked the targets.
func (s *Server) scheduleCreate(w http.ResponseWriter, r *http.Request, c *call) {
	req := &c.body.(*scheduleBody).Request
	sc, err := s.opts.Scheduler.Create(r.Context(), *req, c.user)
	if err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	c.target = "schedule:" + sc.ID
	s.record(r, c, AuditEntry{Result: "ok", Ref: sc.ID})
	writeJSON(w, http.StatusCreated, sc)
}
