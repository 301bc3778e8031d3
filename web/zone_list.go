package web

import (
	"net/http"

	"github.com/hamlet-vn/hamlet/announce"
)

// zoneView is one zone in GET /api/v1/zones.
type zoneView struct {
	Zone
	// Broadcast is the zone's broadcast window now; absent while
	// announcements are not wired.
	Broadcast *announce.ZoneWindow `json:"broadcast,omitempty"`
}

// zoneViews returns the declared zones u may see, each with its broadcast
// window status when announcements are wired.
func (s *Server) zoneViews(u User) []zoneView {
	now := s.opts.Now()
	out := []zoneView{}
	for _, z := range s.zones() {
		if !u.MayZone(z.ID) {
			continue
		}
		zv := zoneView{Zone: z}
		if s.opts.Announcer != nil {
			w := s.opts.Announcer.Window(z.ID, now)
			zv.Broadcast = &w
		}
		out = append(out, zv)
	}
	return out
}

// zonesGet is GET /api/v1/zones: the caller's zones with whether each
// zone's broadcast window is open and when it next opens.
func (s *Server) zonesGet(w http.ResponseWriter, r *http.Request, c *call) {
	writeJSON(w, http.StatusOK, map[string]any{"zones": s.zoneViews(c.user)})
}
