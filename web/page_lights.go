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
	// Relay is a lamp that reports on or off and no brightness: it cannot
	// dim, so it shows no brightness slider (app.js keeps that up to date).
	Relay bool
}

// zoneLights is one zone's lamps on Đèn.
type zoneLights struct {
	Zone  Zone
	Lamps []lampView
	// Runs are the programmes running the zone's lamps, with tonight's steps.
	Runs []runView
}

// runView is one programme's run tonight on Đèn.
type runView struct {
	Name   string // the schedule's name, else its id
	Lights int    // how many of the zone's lamps it runs
	All    bool   // it runs every lamp of the zone
	Steps  []stepView
}

// stepView is one step at its actual time.
type stepView struct {
	Time, At   string // "17:26", "sunset+10m"
	On         bool
	Brightness int
}

// lightsData is Đèn's content.
type lightsData struct {
	Zones      []zoneLights
	CanControl bool // an operator or admin: toggles, sliders and programme editing are offered
	Available  bool // the lights capability answers
	// Programmes: the schedule capability answers, so each zone lists its
	// light programmes (read from /api/v1/schedules by the script).
	Programmes bool
	AllZones   bool // the caller is limited to no zone (edits programmes of any zone)
}

// Weekdays are the programme editor's days: the API's name and the label,
// Monday first as Vietnamese calendars do.
func (lightsData) Weekdays() [][2]string {
	return [][2]string{{"mon", "Thứ 2"}, {"tue", "Thứ 3"}, {"wed", "Thứ 4"}, {"thu", "Thứ 5"}, {"fri", "Thứ 6"}, {"sat", "Thứ 7"}, {"sun", "Chủ nhật"}}
}

// pageLights is GET /lights: the caller's zones, each with its lamps.
func (s *Server) pageLights(w http.ResponseWriter, r *http.Request, p *page) {
	s.fillPage(r, p, p.User, "lights", "Đèn")
	d := lightsData{CanControl: p.User.Role.AtLeast(RoleOperator), Available: s.available("commands"),
		Programmes: s.available("schedules"), AllZones: p.User.AllZones()}
	names := s.programmeNames(r)
	lamps := visible(p.User, s.opts.Devices.List(devices.Filter{Kind: devices.Light}))
	for _, z := range s.zones() {
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
				lv.Relay = l.On != nil && l.Brightness == nil
			}
			zl.Lamps = append(zl.Lamps, lv)
		}
		zl.Runs = s.tonight(r, zl.Lamps, names)
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

// programmeNames returns the light schedules' names by id (none when the
// schedule capability is not wired or fails: ids are shown instead).
func (s *Server) programmeNames(r *http.Request) map[string]string {
	names := map[string]string{}
	if s.opts.Scheduler == nil || s.opts.Lights == nil {
		return names
	}
	scs, err := s.opts.Scheduler.List(r.Context(), "light")
	if err != nil {
		s.opts.Logger.Warn("light programmes not listed for the lights page", "err", err)
		return names
	}
	for _, sc := range scs {
		names[sc.ID] = sc.Name
	}
	return names
}

// tonight returns the programmes running lamps with tonight's steps.
func (s *Server) tonight(r *http.Request, lamps []lampView, names map[string]string) []runView {
	if s.opts.Lights == nil || len(lamps) == 0 {
		return nil
	}
	ids := make([]string, len(lamps))
	for i, l := range lamps {
		ids[i] = l.ID
	}
	var out []runView
	for _, run := range s.opts.Lights.Tonight(ids, s.opts.Now()) {
		rv := runView{Name: run.Programme, Lights: len(run.Lights), All: len(run.Lights) == len(ids)}
		if n := names[run.Programme]; n != "" {
			rv.Name = n
		}
		for _, st := range run.Steps {
			rv.Steps = append(rv.Steps, stepView{Time: st.Time.Format("15:04"), At: st.At, On: st.On, Brightness: st.Brightness})
		}
		out = append(out, rv)
	}
	return out
}
