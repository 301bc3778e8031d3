package web

import "net/http"

// deviceGet is GET /api/v1/devices/{id}; the policy already found the device
// and checked its zone.
func (s *Server) deviceGet(w http.ResponseWriter, r *http.Request, c *call) {
	writeJSON(w, http.StatusOK, s.deviceView(c.device))
}
