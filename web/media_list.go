package web

import "net/http"

// mediaList is GET /api/v1/media: the uploaded audio files.
func (s *Server) mediaList(w http.ResponseWriter, r *http.Request, c *call) {
	list, err := s.opts.Media.MediaList(r.Context())
	if err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"media": list})
}
