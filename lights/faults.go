package lights

import (
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/schedule"
	"github.com/hamlet-vn/hamlet/telemetry"
)

// Lamp faults hamlet notices by itself.
const (
	FaultDark       = "dark"        // desired on, reports off
	FaultDayBurning = "day_burning" // reports on in daylight while its programme says off
	FaultNoPower    = "no_power"    // reports on but draws (almost) no power
)

// faultKinds lists the faults in a fixed order.
var faultKinds = []string{FaultDark, FaultDayBurning, FaultNoPower}

// noPowerW is the power below which a lamp that reports on draws "no power".
const noPowerW = 1.0

// FaultEvent is a lamp fault raised (Active) or cleared (event "fault").
type FaultEvent struct {
	Device string    `json:"device"`
	Zone   string    `json:"zone"`
	Fault  string    `json:"fault"`  // dark, day_burning or no_power
	Active bool      `json:"active"` // raised, or cleared
	Since  time.Time `json:"since"`  // when the condition began
	At     time.Time `json:"time"`
}

// Fault is an active fault as the API shows it.
type Fault struct {
	Fault string    `json:"fault"`
	Since time.Time `json:"since"`
}

// offByDay answers, once per programme and check, whether a programme says
// off while the sun is up: the same for every lamp it runs, so CheckFaults
// does not work out the programme's state and the sun times per lamp.
type offByDay struct {
	now      time.Time
	pl       schedule.Place
	daylight *bool
	off      map[*LightProgramme]bool
}

func (o *offByDay) of(p *LightProgramme) bool {
	if v, ok := o.off[p]; ok {
		return v
	}
	if o.daylight == nil {
		d := daylight(o.now, o.pl)
		o.daylight = &d
	}
	set, _, ok := p.Programme.StateAt(o.now, o.pl)
	v := ok && !set.On && *o.daylight
	o.off[p] = v
	return v
}

// faultsOf returns which faults hold for st now. s.mu is held.
func (s *Service) faultsOf(st devices.Status, p *LightProgramme, day *offByDay) map[string]bool {
	out := map[string]bool{}
	rep := st.Reported.Light
	if st.Availability != devices.Online || rep == nil || rep.On == nil {
		return out
	}
	d, known := s.desired[st.ID]
	if known && d.On && !*rep.On {
		out[FaultDark] = true
	}
	if *rep.On && p != nil && !(known && d.Override && d.On) {
		if day.of(p) {
			out[FaultDayBurning] = true
		}
	}
	if w, ok := st.Telemetry["power_w"]; ok && *rep.On && w < noPowerW {
		out[FaultNoPower] = true
	}
	return out
}

// daylight reports whether the sun is up at t at pl.
func daylight(t time.Time, pl schedule.Place) bool {
	loc := pl.Loc
	if loc == nil {
		loc = time.UTC
	}
	sun, err := schedule.Sun(t.In(loc), pl)
	if err != nil {
		return false
	}
	return !t.Before(sun.Sunrise) && t.Before(sun.Sunset)
}

// CheckFaults raises faults whose condition has lasted Options.FaultAfter
// and clears those whose condition ended, as of now. Run calls it every
// second; tests call it with their own clock.
func (s *Service) CheckFaults(now time.Time) {
	byLight := programmeFor(s.programmes())
	day := &offByDay{now: now, pl: s.opts.Place, off: map[*LightProgramme]bool{}}
	var events []FaultEvent
	s.mu.Lock()
	for _, st := range s.opts.Registry.List(devices.Filter{Kind: devices.Light}) {
		holds := s.faultsOf(st, byLight[st.ID], day)
		for _, f := range faultKinds {
			key := faultKey{st.ID, f}
			start, pending := s.faultCond[key]
			raised, active := s.faultActive[key]
			switch {
			case holds[f] && !pending:
				s.faultCond[key] = now
			case holds[f] && !active && now.Sub(start) >= s.opts.FaultAfter:
				s.raiseLocked(st, f, start, now, &events)
			case !holds[f] && pending:
				delete(s.faultCond, key)
				if active {
					delete(s.faultActive, key)
					s.m.faults.WithLabelValues(f).Dec()
					events = append(events, FaultEvent{Device: st.ID, Zone: st.Zone, Fault: f, Since: raised, At: now})
					s.faultPoint(st.Device, f, false, now)
				}
			}
		}
	}
	s.mu.Unlock()
	if s.opts.Faults != nil {
		for _, ev := range events {
			s.opts.Faults(ev)
		}
	}
}

type faultKey struct{ light, fault string }

func (s *Service) raiseLocked(st devices.Status, f string, since, now time.Time, events *[]FaultEvent) {
	s.faultActive[faultKey{st.ID, f}] = since
	s.m.faults.WithLabelValues(f).Inc()
	s.m.faultsRaised.WithLabelValues(f).Inc()
	*events = append(*events, FaultEvent{Device: st.ID, Zone: st.Zone, Fault: f, Active: true, Since: since, At: now})
	s.faultPoint(st.Device, f, true, now)
	s.log.Warn("lamp fault", "light", st.ID, "fault", f, "since", since)
}

// faultPoint writes a light_fault point: active 1 when raised, 0 when cleared.
func (s *Service) faultPoint(d devices.Device, f string, active bool, at time.Time) {
	if s.opts.Points == nil {
		return
	}
	p := telemetry.LightFaultPoint(s.opts.Area, d, f, active, at)
	s.opts.Points.Add([]*telemetry.Point{p}, func() {})
}

// FaultsOf returns the active faults of light id, in a fixed order.
func (s *Service) FaultsOf(id string) []Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Fault
	for _, f := range faultKinds {
		if since, ok := s.faultActive[faultKey{id, f}]; ok {
			out = append(out, Fault{Fault: f, Since: since})
		}
	}
	return out
}
