package web

import (
	"net/http"

	"github.com/hamlet-vn/hamlet/devices"
)

// overrideClear is DELETE /api/v1/lights/{id}/override: the light's
// override ends and its programme takes over at once. The policy already
// found the device and checked its zone; it answers the light's status
// (override null) and is harmless when no override holds.
func (s *Server) overrideClear(w http.ResponseWriter, r *http.Request, c *call) {
	if c.device.Kind != devices.Light {
		writeError(w, fieldError("id", codeInvalid, "Thiết bị %s không phải đèn / device %s is not a light", c.device.ID, c.device.ID))
		return
	}
	st, err := s.opts.Lights.ClearOverride(r.Context(), c.device.ID)
	if err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	s.record(r, c, AuditEntry{Result: "ok", Target: "devices:" + c.device.ID})
	writeJSON(w, http.StatusOK, st)
}
