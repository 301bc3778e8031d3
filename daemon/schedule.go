package daemon

import (
	"context"
	"fmt"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/lights"
	"github.com/hamlet-vn/hamlet/schedule"
)

// startSchedules builds the schedule capability over the store, at the
// area's place and timezone, before the capabilities that run schedules
// (lights, announce): they read it and listen to its Changes. Its loop tells
// the lights capability when a programme changes.
func (d *Daemon) startSchedules() {
	d.schedules = schedule.NewService(schedule.Options{
		DB:     d.store,
		Place:  d.place(),
		Logger: d.log.With("component", "schedule"),
	})
	changes := d.schedules.Changes()
	d.extraLoops = append(d.extraLoops, loop{"schedule-changes", func(ctx context.Context) error {
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-changes:
				if d.lights != nil {
					d.lights.ProgrammesChanged()
				}
			}
		}
	}})
}

// place is the area's position and timezone, for sun times and clocks.
func (d *Daemon) place() schedule.Place {
	return schedule.Place{Lat: d.cfg.Area.Latitude, Lon: d.cfg.Area.Longitude, Loc: d.cfg.Location()}
}

// Schedules returns the schedule capability once Run has started the daemon.
func (d *Daemon) Schedules() *schedule.Service { return d.schedules }

// lightProgrammes gives the lights capability the enabled light schedules,
// each with its targets resolved to the lights the registry knows now (a
// zone or "all" target includes lights added since the schedule was saved).
type lightProgrammes struct{ d *Daemon }

func (p lightProgrammes) LightProgrammes(ctx context.Context) ([]lights.LightProgramme, error) {
	if p.d.schedules == nil {
		return nil, nil
	}
	ls, err := p.d.schedules.Lights(ctx)
	if err != nil {
		return nil, fmt.Errorf("light programmes: %w", err)
	}
	out := make([]lights.LightProgramme, 0, len(ls))
	for _, l := range ls {
		out = append(out, lights.LightProgramme{ID: l.ID, Programme: l.Programme,
			Lights: p.resolve(l.Targets), PerLight: len(l.Targets.Devices) > 0})
	}
	return out, nil
}

// resolve returns the ids of the lights a target names; unknown ids and
// devices of other kinds are left out.
func (p lightProgrammes) resolve(t devices.Target) []string {
	var ids []string
	switch {
	case len(t.Devices) > 0:
		for _, id := range t.Devices {
			if st, ok := p.d.registry.Get(id); ok && st.Kind == devices.Light {
				ids = append(ids, id)
			}
		}
	case len(t.Zones) > 0 || t.All:
		for _, st := range p.d.registry.List(devices.Filter{Kind: devices.Light, Zones: t.Zones}) {
			ids = append(ids, st.ID)
		}
	}
	return ids
}

var _ lights.Programmes = lightProgrammes{}
