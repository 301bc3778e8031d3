package web

import (
	"net/http"
	"strconv"
)

// tokenRevoke is DELETE /api/v1/tokens/{id}.
func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request, c *call) {
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		writeError(w, fieldError("id", codeBadParam, "Mã số không hợp lệ / token id must be a positive whole number, not %q", raw))
		return
	}
	if _, err := s.opts.Store.RevokeToken(r.Context(), id, s.opts.Now()); err != nil {
		if isNotFound(err) {
			writeError(w, errorf(http.StatusNotFound, codeNotFound,
				"Không có mã truy cập %d (hoặc đã thu hồi) / no valid token %d (unknown or already revoked)", id, id))
			return
		}
		s.fail(w, "token revoke failed", err)
		return
	}
	s.record(r, c, AuditEntry{Result: "ok"})
	noContent(w)
}
