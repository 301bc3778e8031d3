package daemon

import (
	"github.com/hamlet-vn/hamlet/schedule"
)

// startSchedules builds the schedule capability over the store, at the
// area's place and timezone. It keeps no goroutine: the capabilities that
// run schedules (lights, announce) read it and listen to its Changes.
func (d *Daemon) startSchedules() {
	d.schedules = schedule.NewService(schedule.Options{
		DB:     d.store,
		Place:  d.place(),
		Logger: d.log.With("component", "schedule"),
	})
}

// place is the area's position and timezone, for sun times and clocks.
func (d *Daemon) place() schedule.Place {
	return schedule.Place{Lat: d.cfg.Area.Latitude, Lon: d.cfg.Area.Longitude, Loc: d.cfg.Location()}
}

// Schedules returns the schedule capability once Run has started the daemon.
func (d *Daemon) Schedules() *schedule.Service { return d.schedules }
