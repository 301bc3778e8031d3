package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/hamlet-vn/hamlet/announce"
	"github.com/hamlet-vn/hamlet/devices"
)

// speakerZone is one zone's loudspeakers on Loa.
type speakerZone struct {
	Zone     Zone
	Speakers []lampView
	// Window says whether the zone's broadcast window is open and when it
	// next opens, in the page's language; "" when it may always broadcast
	// or announcements are not wired.
	Window     string
	WindowOpen bool
}

// speakersData is Loa's content.
type speakersData struct {
	Zones     []speakerZone
	CanSend   bool // an operator or admin: the broadcast form is offered
	Available bool // the announcements capability answers
}

// pageSpeakers is GET /speakers (Loa): the broadcast form, the caller's
// zones with their speakers (receipts arrive per speaker) and the history.
func (s *Server) pageSpeakers(w http.ResponseWriter, r *http.Request, p *page) {
	s.fillPage(r, p, p.User, "speakers", "Loa")
	d := speakersData{CanSend: p.User.Role.AtLeast(RoleOperator),
		Available: s.available("announcements") && s.available("media")}
	now := s.opts.Now()
	all := visible(p.User, s.opts.Devices.List(devices.Filter{Kind: devices.Speaker}))
	for _, z := range s.zones() {
		if !p.User.MayZone(z.ID) {
			continue
		}
		sz := speakerZone{Zone: z}
		for _, st := range all {
			if st.Zone == z.ID {
				sz.Speakers = append(sz.Speakers, lampView{ID: st.ID, Name: st.Name, Avail: string(st.Availability),
					AvailLabel: availLabel(st.Availability)})
			}
		}
		if s.opts.Announcer != nil {
			sz.Window, sz.WindowOpen = windowText(p, s.opts.Announcer.Window(z.ID, now), now)
		}
		d.Zones = append(d.Zones, sz)
	}
	p.Data = d
	s.render(w, r, http.StatusOK, p)
}

// windowText words a zone's broadcast window for Loa: open now, or when it
// next opens (with the date when not today).
func windowText(p *page, w announce.ZoneWindow, now time.Time) (string, bool) {
	switch {
	case len(w.Windows) == 0:
		return "", true
	case w.Open:
		return p.Lang.T("Đang trong giờ phát"), true
	case w.NextOpen == nil:
		return p.Lang.T("Ngoài giờ phát"), false
	}
	n := *w.NextOpen
	at := n.Format("15:04")
	if n.Format("2006-01-02") != now.In(n.Location()).Format("2006-01-02") {
		at += " " + n.Format("02/01")
	}
	return fmt.Sprintf(p.Lang.T("Ngoài giờ phát · mở lúc %s"), at), false
}
