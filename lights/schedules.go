package lights

import (
	"context"
	"slices"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/schedule"
)

// ScheduleSource lists the enabled light schedules (schedule.Service).
type ScheduleSource interface {
	Lights(ctx context.Context) ([]schedule.LightSchedule, error)
}

// FromSchedules is the Programmes of the schedule capability: each enabled
// light schedule's target resolved to the lights the registry holds now
// (so a light assigned to a zone later joins the zone's programme).
type FromSchedules struct {
	Schedules ScheduleSource
	Registry  Registry
}

// LightProgrammes implements Programmes.
func (f FromSchedules) LightProgrammes(ctx context.Context) ([]LightProgramme, error) {
	ss, err := f.Schedules.Lights(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]LightProgramme, 0, len(ss))
	for _, s := range ss {
		p := LightProgramme{ID: s.ID, Programme: s.Programme, PerLight: len(s.Targets.Devices) > 0}
		switch t := s.Targets; {
		case len(t.Devices) > 0:
			for _, id := range t.Devices {
				if st, ok := f.Registry.Get(id); ok && st.Kind == devices.Light && !slices.Contains(p.Lights, id) {
					p.Lights = append(p.Lights, id)
				}
			}
		case len(t.Zones) > 0:
			for _, st := range f.Registry.List(devices.Filter{Kind: devices.Light, Zones: t.Zones}) {
				p.Lights = append(p.Lights, st.ID)
			}
		case t.All:
			for _, st := range f.Registry.List(devices.Filter{Kind: devices.Light}) {
				p.Lights = append(p.Lights, st.ID)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

var _ Programmes = FromSchedules{}
