package web

import (
	"context"
	"net/http"
)

// alertAck is POST /api/v1/alerts/{id}/ack: the caller acknowledges an open
// alert of its zones; who and when are recorded on the alert.
func (s *Server) alertAck(w http.ResponseWriter, r *http.Request, c *call) {
	a, err := s.opts.Alerts.Ack(r.Context(), r.PathValue("id"), c.user.Name)
	if err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	s.record(r, c, AuditEntry{Result: "ok", Ref: a.ID})
	writeJSON(w, http.StatusOK, a)
}

// alertZones returns the zone of alert {id}, for the policy.
func (s *Server) alertZones(ctx context.Context, r *http.Request) ([]string, error) {
	return s.opts.Alerts.Zones(ctx, r.PathValue("id"))
}
