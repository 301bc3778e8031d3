package web

import "net/http"

// announcementGet is GET /api/v1/announcements/{id}: status and deliveries.
func (s *Server) announcementGet(w http.ResponseWriter, r *http.Request, c *call) {
	a, err := s.opts.Announcer.Announcement(r.Context(), r.PathValue("id"))
	if err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	writeJSON(w, http.StatusOK, s.inZone(a))
}
