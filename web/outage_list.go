package web

import "net/http"

// outageList is GET /api/v1/outages?from=&to=[&kind=&zone=&device=].
func (s *Server) outageList(w http.ResponseWriter, r *http.Request, c *call) {
	q, e := s.uptimeQuery(r, c)
	if e != nil {
		writeError(w, e)
		return
	}
	out, err := s.opts.Uptime.Outages(r.Context(), q)
	if err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}
