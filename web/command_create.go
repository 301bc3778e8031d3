package web

import (
	"net/http"

	"github.com/hamlet-vn/hamlet/devices"
)

// commandCreate is POST /api/v1/commands: the policy resolved and
// zone-checked the target; the Commander sends the command and waits for
// confirmations. Each device's result is audited and sent to event streams.
// A request repeating an earlier one's Idempotency-Key (same caller, within
// dedupeFor) gets that one's answer and sends nothing.
func (s *Server) commandCreate(w http.ResponseWriter, r *http.Request, c *call) {
	req := c.body.(*CommandRequest)
	if key := r.Header.Get("Idempotency-Key"); key != "" && len(key) <= 100 {
		key = c.user.Name + "\x00" + key
		first, isFirst := s.recent.begin(key, s.opts.Now())
		if !isFirst {
			if res, ok := first.wait(r.Context()); ok {
				writeJSON(w, http.StatusOK, res)
				return
			}
			writeError(w, errorf(http.StatusConflict, codeConflict,
				"Lệnh trùng với lệnh trước chưa thành công / a command with this Idempotency-Key did not succeed; send it with a new key"))
			return
		}
		var res CommandResult
		ok := false
		defer func() { s.recent.finish(key, first, res, ok) }()
		res, ok = s.sendCommand(w, r, c, req)
		return
	}
	s.sendCommand(w, r, c, req)
}

// sendCommand sends req through the Commander and answers its results.
func (s *Server) sendCommand(w http.ResponseWriter, r *http.Request, c *call, req *CommandRequest) (CommandResult, bool) {
	res, err := s.opts.Commander.Command(r.Context(), *req, c.user)
	if err != nil {
		s.hookFailed(w, r, c, err)
		return res, false
	}
	byID := map[string]devices.Device{}
	for _, d := range req.Devices {
		byID[d.ID] = d
	}
	now := s.opts.Now()
	var ds []AuditDevice
	for _, dr := range res.Results {
		d, ok := byID[dr.Device]
		if !ok {
			d = devices.Device{ID: dr.Device}
		}
		ds = append(ds, AuditDevice{Device: d, Result: dr.Status, Error: dr.Error})
		s.PublishCommand(CommandEvent{ID: res.ID, Device: dr.Device, Zone: d.Zone, Status: dr.Status,
			Error: dr.Error, User: c.user.Name, At: now})
	}
	s.record(r, c, AuditEntry{Result: "ok", Ref: res.ID, Devices: ds})
	writeJSON(w, http.StatusOK, res)
	return res, true
}
