package web

import (
	"net/http"
)

// pageRoute is one page of the phone UI, beside the API's route table: the
// lowest role that sees it (public when empty) and its handler. Pages
// render HTML; everything they change goes through the /api/v1 routes, so
// the API's policy stays the only one.
type pageRoute struct {
	method, path string
	role         Role
	handle       func(w http.ResponseWriter, r *http.Request, p *page)
}

// pageTable lists every page and asset of the phone UI.
func (s *Server) pageTable() []pageRoute {
	const viewer, admin = RoleViewer, RoleAdmin
	return []pageRoute{
		{method: "GET", path: "/{$}", handle: s.pageHome}, // login when signed out, else Tổng quan
		{method: "GET", path: "/lights", role: viewer, handle: s.pageLights},
		{method: "GET", path: "/speakers", role: viewer, handle: s.pageSpeakers},
		{method: "GET", path: "/cameras", role: viewer, handle: s.pageCameras},
		{method: "GET", path: "/cameras/{id}/snapshot.jpg", role: viewer, handle: s.snapshotGet},
		{method: "GET", path: "/reports", role: viewer, handle: s.pageReports},
		{method: "GET", path: "/audit", role: viewer, handle: s.pageAudit},
		{method: "GET", path: "/users", role: admin, handle: s.pageUsers},
		{method: "POST", path: "/lang", handle: s.langSet},
		{method: "GET", path: "/static/{file}", handle: s.staticGet},
		{method: "GET", path: "/manifest.webmanifest", handle: s.staticGet},
	}
}

// pageRoutes adds the pages to mux.
func (s *Server) pageRoutes(mux *http.ServeMux) {
	for _, pr := range s.pageTable() {
		mux.Handle(pr.method+" "+pr.path, s.pageGuard(pr))
	}
}
