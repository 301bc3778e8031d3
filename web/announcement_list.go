package web

import (
	"net/http"
	"time"
)

// announcementList is GET /api/v1/announcements?from=&to=: the history,
// newest first (default the last 7 days), only announcements touching the
// caller's zones.
func (s *Server) announcementList(w http.ResponseWriter, r *http.Request, c *call) {
	from, to, e := s.timeRange(r.URL.Query(), 7*24*time.Hour)
	if e != nil {
		writeError(w, e)
		return
	}
	list, err := s.opts.Announcer.History(r.Context(), from, to)
	if err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	out := make([]Announcement, 0, len(list))
	for _, a := range list {
		for _, z := range a.Zones {
			if c.user.MayZone(z) {
				out = append(out, s.inZone(a))
				break
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"announcements": out})
}
