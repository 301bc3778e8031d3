package web

import "net/http"

// maintenanceCreate is POST /api/v1/maintenance; the policy zone-checked the target.
func (s *Server) maintenanceCreate(w http.ResponseWriter, r *http.Request, c *call) {
	req := c.body.(*maintenanceBody)
	res, err := s.opts.Uptime.CreateMaintenance(r.Context(), req.MaintenanceRequest, c.user)
	if err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	ds := make([]AuditDevice, len(req.Devices))
	for i, d := range req.Devices {
		ds[i] = AuditDevice{Device: d, Result: "ok"}
	}
	s.record(r, c, AuditEntry{Result: "ok", Devices: ds})
	writeJSON(w, http.StatusCreated, res)
}
