package web

import "net/http"

// mediaDelete is DELETE /api/v1/media/{id}.
func (s *Server) mediaDelete(w http.ResponseWriter, r *http.Request, c *call) {
	if err := s.opts.Media.DeleteMedia(r.Context(), r.PathValue("id")); err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	c.target = "media:" + r.PathValue("id")
	s.record(r, c, AuditEntry{Result: "ok", Ref: r.PathValue("id")})
	noContent(w)
}
