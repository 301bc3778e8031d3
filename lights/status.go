package lights

import "time"

// Status is what the API shows of a light besides its device object: the
// override holding it against its programme, if any, and its active faults.
type Status struct {
	Override *Override `json:"override"` // null when none holds
	Faults   []Fault   `json:"faults"`   // [] when none
}

// Override is a manual command holding a light against its programme.
type Override struct {
	By    string    `json:"by"`    // the user who sent it
	Since time.Time `json:"since"` // when
	// Until is when the programme takes over again: the hold's end, or the
	// programme's next step; null when no programme runs the light.
	Until *time.Time `json:"until"`
	// Hold is "next" (until the programme's next step) or "duration".
	Hold string `json:"hold"`
}

// LightStatus returns the override and faults of light id; ok is false for
// an id that is not a light the service knows.
func (s *Service) LightStatus(id string) (Status, bool) {
	st, ok := s.opts.Registry.Get(id)
	if !ok || st.Kind != "light" {
		return Status{}, false
	}
	out := Status{Faults: s.FaultsOf(id)}
	if out.Faults == nil {
		out.Faults = []Fault{}
	}
	d, known := s.DesiredOf(id)
	if !known || !d.Override {
		return out, true
	}
	o := &Override{By: d.By, Since: d.At, Hold: HoldNext}
	if !d.Until.IsZero() {
		u := d.Until
		o.Until, o.Hold = &u, "duration"
	} else if p := programmeFor(s.programmes())[id]; p != nil {
		if _, at, ok := p.Programme.Next(d.At, s.opts.Place); ok {
			o.Until = &at
		}
	}
	out.Override = o
	return out, true
}
