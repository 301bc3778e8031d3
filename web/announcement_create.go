package web

import (
	"errors"
	"net/http"

	"github.com/hamlet-vn/hamlet/announce"
)

// announcementCreate is POST /api/v1/announcements: the policy resolved and
// zone-checked the target speakers.
func (s *Server) announcementCreate(w http.ResponseWriter, r *http.Request, c *call) {
	req := c.body.(*AnnouncementRequest)
	a, err := s.opts.Announcer.Announce(r.Context(), req.Request, c.user)
	if err != nil {
		s.announceFailed(w, r, c, err)
		return
	}
	ds := make([]AuditDevice, len(req.Devices))
	for i, d := range req.Devices {
		ds[i] = AuditDevice{Device: d, Result: "pending"}
	}
	s.record(r, c, AuditEntry{Result: "ok", Ref: a.ID, Devices: ds})
	writeJSON(w, http.StatusCreated, s.inZone(a))
}

// announceFailed answers the announce capability's own errors: outside a
// broadcast window (409 with next_window), a missing tool (503), a full
// disk (507); the rest as every hook's.
func (s *Server) announceFailed(w http.ResponseWriter, r *http.Request, c *call, err error) {
	var win *announce.WindowError
	var tool *announce.ToolError
	switch {
	case errors.As(err, &win):
		s.record(r, c, AuditEntry{Result: "failed", Error: err.Error()})
		writeJSON(w, http.StatusConflict, map[string]any{"code": "outside_window", "error": win.Error(),
			"field": "targets", "zone": win.Zone, "next_window": s.jt(win.NextWindow)})
	case errors.As(err, &tool):
		s.record(r, c, AuditEntry{Result: "failed", Error: err.Error()})
		writeError(w, errorf(http.StatusServiceUnavailable, "tool_missing", "%s", tool.Error()))
	case errors.Is(err, announce.ErrStorageFull):
		s.record(r, c, AuditEntry{Result: "failed", Error: err.Error()})
		writeError(w, errorf(http.StatusInsufficientStorage, "storage_full",
			"Bộ nhớ máy chủ đầy, không lưu được / the server's storage is full, nothing was stored"))
	default:
		s.hookFailed(w, r, c, err)
	}
}
