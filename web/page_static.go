package web

import (
	"net/http"
	"strings"
)

// staticGet serves an embedded asset (GET /static/{file} and the manifest).
// Assets are cached for a day; pages link them with a version query, so a
// new build is fetched at once.
func (s *Server) staticGet(w http.ResponseWriter, r *http.Request, _ *page) {
	a, err := s.assets()
	if err != nil {
		s.opts.Logger.Error("ui assets unusable", "err", err)
		http.Error(w, "Lỗi máy chủ / server error", http.StatusInternalServerError)
		return
	}
	name := r.PathValue("file")
	if name == "" {
		name = strings.TrimPrefix(r.URL.Path, "/")
	}
	f, ok := a.files[name]
	if !ok {
		http.Error(w, "Không tìm thấy / not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	writeMaybeGzip(w, r, http.StatusOK, f.body, f.gz)
}
