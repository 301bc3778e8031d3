package web

import (
	"net/http"

	"github.com/hamlet-vn/hamlet/devices"
)

// deviceList is GET /api/v1/devices[?kind=&zone=]: the devices the caller
// may see, by zone then id.
func (s *Server) deviceList(w http.ResponseWriter, r *http.Request, c *call) {
	q, e := queryParams(r, "kind", "zone")
	if e != nil {
		writeError(w, e)
		return
	}
	f := devices.Filter{Zone: q.Get("zone"), Zones: c.user.Zones}
	if k := q.Get("kind"); k != "" {
		kind, err := devices.ParseKind(k)
		if err != nil {
			writeError(w, fieldError("kind", codeBadParam, "Loại thiết bị không hợp lệ / query parameter kind: %v", err))
			return
		}
		f.Kind = kind
	}
	list := visible(c.user, s.opts.Devices.List(f))
	out := make([]deviceView, len(list))
	for i, st := range list {
		out[i] = s.deviceView(st)
	}
	writeJSON(w, http.StatusOK, map[string]any{"devices": out})
}
