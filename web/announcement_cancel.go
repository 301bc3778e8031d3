package web

import (
	"context"
	"net/http"
)

// announcementCancel is DELETE /api/v1/announcements/{id}; the policy checked
// that the announcement's zones are all the caller's.
func (s *Server) announcementCancel(w http.ResponseWriter, r *http.Request, c *call) {
	if err := s.opts.Announcer.Cancel(r.Context(), r.PathValue("id"), c.user); err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	s.record(r, c, AuditEntry{Result: "ok", Ref: r.PathValue("id")})
	noContent(w)
}

// announcementZones returns the zones of announcement {id}, for the policy.
func (s *Server) announcementZones(ctx context.Context, r *http.Request) ([]string, error) {
	a, err := s.opts.Announcer.Announcement(ctx, r.PathValue("id"))
	return a.Zones, err
}
