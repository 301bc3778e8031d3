package web

import (
	"net/http"

	"github.com/hamlet-vn/hamlet/devices"
)

// lampView is one lamp (or one channel of a multi-output controller, which
// the registry already lists as its own device) on Đèn.
type lampView struct {
	ID, Name, Avail string
	AvailLabel      string // message key
	On              *bool
	Brightness      int
}

// zoneLights is one zone's lamps on Đèn.
type zoneLights struct {
	Zone  Zone
	Lamps []lampView
}

// lightsData is Đèn's content.
type lightsData struct {
	Zones      []zoneLights
	CanControl bool // an operator or admin: toggles and sliders are offered
	Available  bool // the lights capability answers
}

// pageLights is GET /lights: the caller's zones, each with its lamps.
func (s *Server) pageLights(w http.ResponseWriter, r *http.Request, p *page) {
	s.fillPage(r, p, p.User, "lights", "Đèn")
	d := lightsData{CanControl: p.User.Role.AtLeast(RoleOperator), Available: s.available("commands")}
	lamps := visible(p.User, s.opts.Devices.List(devices.Filter{Kind: devices.Light}))
	for _, z := range s.opts.Zones {
		if !p.User.MayZone(z.ID) {
			continue
		}
		zl := zoneLights{Zone: z}
		for _, st := range lamps {
			if st.Zone != z.ID {
				continue
			}
			lv := lampView{ID: st.ID, Name: st.Name, Avail: string(st.Availability), AvailLabel: availLabel(st.Availability)}
			if l := st.Reported.Light; l != nil {
				lv.On = l.On
				if l.Brightness != nil {
					lv.Brightness = *l.Brightness
				}
			}
			zl.Lamps = append(zl.Lamps, lv)
		}
		d.Zones = append(d.Zones, zl)
	}
	p.Data = d
	s.render(w, r, http.StatusOK, p)
}

// availLabel is the message key of an availability.
func availLabel(a devices.Availability) string {
	switch a {
	case devices.Online:
		return "trực tuyến"
	case devices.Offline:
		return "ngoại tuyến"
	}
	return "không rõ"
}
