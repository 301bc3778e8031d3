package web

import (
	"net/http"

	"github.com/hamlet-vn/hamlet/devices"
)

// speakerZone is one zone's loudspeakers on Loa.
type speakerZone struct {
	Zone     Zone
	Speakers []lampView
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
	all := visible(p.User, s.opts.Devices.List(devices.Filter{Kind: devices.Speaker}))
	for _, z := range s.opts.Zones {
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
		d.Zones = append(d.Zones, sz)
	}
	p.Data = d
	s.render(w, r, http.StatusOK, p)
}
