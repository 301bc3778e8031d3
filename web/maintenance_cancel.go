package web

import (
	"context"
	"net/http"

	"github.com/hamlet-vn/hamlet/uptime"
)

// maintenanceCancel is DELETE /api/v1/maintenance/{id}: the window ends now
// (one not started yet becomes empty). The policy checked that its devices
// lie in the caller's zones.
func (s *Server) maintenanceCancel(w http.ResponseWriter, r *http.Request, c *call) {
	c.target = "maintenance:" + r.PathValue("id")
	id, err := uptime.ParseMaintenanceID(r.PathValue("id"))
	if err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	m, err := s.opts.Uptime.CancelMaintenance(r.Context(), id, c.user)
	if err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	s.record(r, c, AuditEntry{Result: "ok"})
	writeJSON(w, http.StatusOK, m)
}

// maintenanceZones returns the zones of window {id}, for the policy.
func (s *Server) maintenanceZones(ctx context.Context, r *http.Request) ([]string, error) {
	id, err := uptime.ParseMaintenanceID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return s.opts.Uptime.MaintenanceZones(ctx, id)
}
