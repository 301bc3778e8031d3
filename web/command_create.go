package web

import (
	"net/http"

	"github.com/hamlet-vn/hamlet/devices"
)

// commandCreate is POST /api/v1/commands: the policy resolved and
// zone-checked the target; the Commander sends the command and waits for
// confirmations. Each device's result is audited and sent to event streams.
func (s *Server) commandCreate(w http.ResponseWriter, r *http.Request, c *call) {
	req := &c.body.(*commandBody).CommandRequest
	res, err := s.opts.Commander.Command(r.Context(), *req, c.user)
	if err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	byID := make(map[string]int, len(req.Devices)) // a device's place in req.Devices
	for i, d := range req.Devices {
		byID[d.ID] = i
	}
	now := s.opts.Now()
	ds := make([]AuditDevice, 0, len(res.Results))
	for _, dr := range res.Results {
		d := devices.Device{ID: dr.Device}
		if i, ok := byID[dr.Device]; ok {
			d = req.Devices[i]
		}
		ds = append(ds, AuditDevice{Device: d, Result: dr.Status, Error: dr.Error})
		if !dr.Sent { // a result sent as it was decided is not sent twice
			s.PublishCommand(CommandEvent{ID: res.ID, Device: dr.Device, Zone: d.Zone, Status: dr.Status,
				Error: dr.Error, User: c.user.Name, At: now})
		}
	}
	s.record(r, c, AuditEntry{Result: "ok", Ref: res.ID, Devices: ds})
	writeJSON(w, http.StatusOK, res)
}
