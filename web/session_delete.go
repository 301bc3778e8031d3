package web

import "net/http"

// sessionDelete is POST /api/v1/logout: it ends the caller's session and
// clears the cookie. For an API token it does nothing (revoke tokens with
// DELETE /api/v1/tokens/{id}).
func (s *Server) sessionDelete(w http.ResponseWriter, r *http.Request, c *call) {
	if err := s.accounts.EndSession(r.Context(), c.user); err != nil {
		s.fail(w, "session delete failed", err)
		return
	}
	if c.user.Auth == "session" {
		clearCookie(w, r)
	}
	s.record(r, c, AuditEntry{Result: "ok", Target: "user:" + c.user.Name})
	noContent(w)
}
