package web

import "net/http"

// announcementCreate is POST /api/v1/announcements: the policy resolved and
// zone-checked the target speakers.
func (s *Server) announcementCreate(w http.ResponseWriter, r *http.Request, c *call) {
	req := c.body.(*AnnouncementRequest)
	a, err := s.opts.Announcer.Announce(r.Context(), *req, c.user)
	if err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	ds := make([]AuditDevice, len(req.Devices))
	for i, d := range req.Devices {
		ds[i] = AuditDevice{Device: d, Result: "pending"}
	}
	s.record(r, c, AuditEntry{Result: "ok", Ref: a.ID, Devices: ds})
	writeJSON(w, http.StatusCreated, a)
}
