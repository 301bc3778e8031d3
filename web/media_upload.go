package web

import (
	"errors"
	"mime"
	"net/http"
	"strings"
)

// mediaUpload is POST /api/v1/media: the body is the audio file itself
// (Content-Type audio/*), at most Options.MaxMediaBytes.
func (s *Server) mediaUpload(w http.ResponseWriter, r *http.Request, c *call) {
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(ct, "audio/") {
		writeError(w, fieldError("Content-Type", codeInvalid,
			"Cần tệp âm thanh / Content-Type must be an audio type such as audio/mpeg, not %q", r.Header.Get("Content-Type")))
		return
	}
	m, err := s.opts.Media.Upload(r.Context(), ct, r.Body, c.user)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, errorf(http.StatusRequestEntityTooLarge, codeTooLarge,
				"Tệp quá lớn (tối đa %d byte) / file larger than %d bytes", tooBig.Limit, tooBig.Limit))
			return
		}
		s.announceFailed(w, r, c, err)
		return
	}
	c.target = "media:" + m.ID
	s.record(r, c, AuditEntry{Result: "ok", Ref: m.ID, Params: map[string]string{"content_type": ct}})
	writeJSON(w, http.StatusCreated, m)
}
