package web

import "net/http"

// pageSpeakers is GET /speakers (Loa).
func (s *Server) pageSpeakers(w http.ResponseWriter, r *http.Request, p *page) {
	s.simplePage(w, r, p, "speakers", "Loa")
}

// pageReports is GET /reports (Báo cáo).
func (s *Server) pageReports(w http.ResponseWriter, r *http.Request, p *page) {
	s.simplePage(w, r, p, "reports", "Báo cáo")
}

// pageAudit is GET /audit (Nhật ký).
func (s *Server) pageAudit(w http.ResponseWriter, r *http.Request, p *page) {
	s.simplePage(w, r, p, "audit", "Nhật ký")
}

// pageUsers is GET /users (Người dùng, admins only).
func (s *Server) pageUsers(w http.ResponseWriter, r *http.Request, p *page) {
	s.simplePage(w, r, p, "users", "Người dùng")
}

func (s *Server) simplePage(w http.ResponseWriter, r *http.Request, p *page, name, title string) {
	s.fillPage(r, p, p.User, name, title)
	s.render(w, r, http.StatusOK, p)
}
