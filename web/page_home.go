package web

import (
	"net/http"

	"github.com/hamlet-vn/hamlet/devices"
)

// kindCount is one kind's availability counts on Tổng quan.
type kindCount struct {
	Kind, Label                     string
	Online, Offline, Unknown, Total int
}

// overviewData is Tổng quan's content.
type overviewData struct {
	Kinds                    []kindCount
	Offline                  []devices.Status
	Schedules, Announcements bool // whether those capabilities answer
	Alerts                   bool
}

// pageHome is GET /: the login when signed out (or the session ended), else
// Tổng quan.
func (s *Server) pageHome(w http.ResponseWriter, r *http.Request, p *page) {
	if s.opts.Store == nil {
		s.fillPage(r, p, User{}, "login", "Đăng nhập")
		p.Unavailable = true
		s.render(w, r, http.StatusServiceUnavailable, p)
		return
	}
	u, e := s.authenticate(w, r)
	if e != nil {
		s.fillPage(r, p, User{}, "login", "Đăng nhập")
		if n := r.URL.Query().Get("next"); n != "" {
			p.Next = localPath(n)
		}
		s.render(w, r, http.StatusOK, p)
		return
	}
	if n := r.URL.Query().Get("next"); n != "" && localPath(n) != "/" {
		http.Redirect(w, r, localPath(n), http.StatusSeeOther)
		return
	}
	infoFrom(r.Context()).user = u.Name
	s.fillPage(r, p, u, "overview", "Tổng quan")
	d := overviewData{Schedules: s.available("schedules"), Announcements: s.available("announcements"),
		Alerts: s.available("alerts")}
	all := visible(u, s.opts.Devices.List(devices.Filter{}))
	for _, k := range []struct {
		kind  devices.Kind
		label string
	}{
		{devices.Light, "Đèn"}, {devices.Camera, "Camera"}, {devices.Speaker, "Loa"}} {
		kc := kindCount{Kind: string(k.kind), Label: k.label}
		for _, st := range all {
			if st.Kind != k.kind {
				continue
			}
			kc.Total++
			switch st.Availability {
			case devices.Online:
				kc.Online++
			case devices.Offline:
				kc.Offline++
			default:
				kc.Unknown++
			}
		}
		d.Kinds = append(d.Kinds, kc)
	}
	for _, st := range all {
		if st.Availability == devices.Offline {
			d.Offline = append(d.Offline, st)
		}
	}
	p.Data = d
	s.render(w, r, http.StatusOK, p)
}
