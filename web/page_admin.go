package web

import (
	"net/http"
	"time"
)

// auditPageData is Nhật ký's period picker.
type auditPageData struct {
	From, To string // YYYY-MM-DD in the area's timezone
	Actions  []string
}

// pageAudit is GET /audit (Nhật ký): a period and action picker; the
// script reads /api/v1/audit, which keeps entries inside the caller's zones.
func (s *Server) pageAudit(w http.ResponseWriter, r *http.Request, p *page) {
	s.fillPage(r, p, p.User, "audit", "Nhật ký")
	today := s.opts.Now().In(s.opts.Location)
	p.Data = auditPageData{From: today.Add(-24 * time.Hour).Format(time.DateOnly), To: today.Format(time.DateOnly),
		Actions: []string{"login", "logout", "command", "media.upload", "announcement.create", "announcement.cancel",
			"schedule.create", "schedule.update", "schedule.delete", "maintenance.create", "alert.ack",
			"user.create", "user.update", "user.password", "token.create", "token.revoke", "device.assign"}}
	s.render(w, r, http.StatusOK, p)
}

// pageUsers is GET /users (Người dùng, admins only): the script lists,
// creates, disables and resets users through /api/v1/users.
func (s *Server) pageUsers(w http.ResponseWriter, r *http.Request, p *page) {
	s.fillPage(r, p, p.User, "users", "Người dùng")
	p.Data = s.opts.Zones
	s.render(w, r, http.StatusOK, p)
}
