package web

import (
	"net/http"
	"os"
)

// mediaFetch is GET /media/{file}: a speaker fetches an announcement's
// audio without signing in; {file} is an unguessable, expiring token (with
// the format's extension).
func (s *Server) mediaFetch(w http.ResponseWriter, r *http.Request, c *call) {
	path, ctype, err := s.opts.Media.Fetch(r.Context(), r.PathValue("file"))
	if err != nil {
		e, _ := hookError(err)
		writeError(w, e)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		writeError(w, errorf(http.StatusNotFound, codeNotFound, "Không tìm thấy tệp / media file not found"))
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		writeError(w, errInternal())
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "private, max-age=3600")
	http.ServeContent(w, r, "", st.ModTime(), f)
}
