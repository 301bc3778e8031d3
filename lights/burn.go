package lights

import (
	"context"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/telemetry"
)

// BurnDay is one light's burning time and energy on one local day.
type BurnDay struct {
	Light     string
	Zone      string
	Day       string // YYYY-MM-DD in the area's timezone
	OnSeconds float64
	EnergyKWh float64
}

// BurnStore keeps burning time and energy per light and day (store.DB
// through DBStore). Add adds to what is kept.
type BurnStore interface {
	AddBurn(ctx context.Context, days []BurnDay) error
	Burns(ctx context.Context, from, to string) ([]BurnDay, error)
}

// meter is what the service last knew of one light, to account the time
// since: whether it was on, its power and its energy counter.
type meter struct {
	at        time.Time
	on        bool
	powerW    float64
	hasPower  bool
	energy    float64 // the light's energy_kwh counter
	hasEnergy bool
}

// clockOK reports whether the wall clock can be trusted (Options.ClockOK).
func (s *Service) clockOK() bool { return s.opts.ClockOK == nil || s.opts.ClockOK() }

// maxEnergyStep bounds a plausible energy counter step between two reports;
// larger steps (a counter reset, a replaced meter) fall back to power.
const maxEnergyStep = 5.0

// account adds the time since the light's last change to its day totals
// and remembers its state now. s.mu is held.
func (s *Service) accountLocked(st devices.Status, now time.Time) {
	if !s.clockOK() {
		// The time since the light's last change is unknown: it is not
		// accounted, and accounting starts again once the clock is right
		// (else an NTP step from 1970 would book decades of burning).
		delete(s.meters, st.ID)
		return
	}
	m, seen := s.meters[st.ID]
	next := meter{at: now}
	if l := st.Reported.Light; l != nil && l.On != nil {
		next.on = *l.On && st.Availability != devices.Offline
	}
	if w, ok := st.Telemetry["power_w"]; ok {
		next.powerW, next.hasPower = w, true
	}
	if e, ok := st.Telemetry["energy_kwh"]; ok {
		next.energy, next.hasEnergy = e, true
	}
	s.meters[st.ID] = next
	if !seen || !now.After(m.at) {
		return
	}
	energy := -1.0
	if m.hasEnergy && next.hasEnergy && next.energy >= m.energy && next.energy-m.energy < maxEnergyStep {
		energy = next.energy - m.energy
	}
	// Split the interval at local midnights.
	total := now.Sub(m.at).Seconds()
	for from := m.at; from.Before(now); {
		day, midnight := s.localDayLocked(from)
		to := now
		if midnight.Before(to) {
			to = midnight
		}
		secs := to.Sub(from).Seconds()
		key := burnKey{st.ID, day}
		b := s.burn[key]
		b.Light, b.Zone, b.Day = st.ID, st.Zone, key.day
		if m.on {
			b.OnSeconds += secs
		}
		switch {
		case energy >= 0:
			b.EnergyKWh += energy * secs / total
		case m.on && m.hasPower:
			b.EnergyKWh += m.powerW * secs / 3600 / 1000
		}
		s.burn[key] = b
		from = to
	}
}

type burnKey struct{ light, day string }

// localDay is a local day: its date (YYYY-MM-DD) and when it starts and ends.
type localDay struct {
	day        string
	start, end time.Time
}

// localDayLocked returns the area's local date of t and the next local
// midnight. Every lamp's change is accounted on the day of the one before,
// so the day is kept: working it out for each cost "all lights on" more
// than the rest of the accounting (bench/lights). s.mu is held.
func (s *Service) localDayLocked(t time.Time) (string, time.Time) {
	if d := s.today; !t.Before(d.start) && t.Before(d.end) {
		return d.day, d.end
	}
	loc := s.opts.Place.Loc
	if loc == nil {
		loc = time.UTC
	}
	y, mo, d := t.In(loc).Date()
	start := time.Date(y, mo, d, 0, 0, 0, 0, loc)
	s.today = localDay{day: start.Format(time.DateOnly), start: start, end: time.Date(y, mo, d+1, 0, 0, 0, 0, loc)}
	return s.today.day, s.today.end
}

// flushBurn accounts every light up to now and writes the totals gathered
// since the last flush to the store, and each touched day's totals so far
// to InfluxDB (light_burn, one point per light and day at the day's start).
func (s *Service) flushBurn(ctx context.Context, now time.Time) {
	if s.opts.Burns == nil {
		return
	}
	lightsNow := s.opts.Registry.List(devices.Filter{Kind: devices.Light})
	s.mu.Lock()
	for _, st := range lightsNow {
		s.accountLocked(st, now)
	}
	if !s.clockOK() { // the totals wait in memory for a right clock (their points' days would be wrong)
		s.mu.Unlock()
		return
	}
	days := make([]BurnDay, 0, len(s.burn))
	for _, b := range s.burn {
		days = append(days, b)
	}
	s.burn = map[burnKey]BurnDay{}
	s.mu.Unlock()
	if len(days) == 0 {
		return
	}
	if err := s.opts.Burns.AddBurn(ctx, days); err != nil {
		s.m.storeErrors.Inc()
		s.log.Error("burning hours not saved", "err", err)
		return
	}
	s.burnPoints(ctx, days)
}

// burnPoints writes each touched light-day's totals to InfluxDB.
func (s *Service) burnPoints(ctx context.Context, touched []BurnDay) {
	if s.opts.Points == nil || len(touched) == 0 {
		return
	}
	from, to := touched[0].Day, touched[0].Day
	want := map[burnKey]bool{}
	for _, b := range touched {
		from, to = min(from, b.Day), max(to, b.Day)
		want[burnKey{b.Light, b.Day}] = true
	}
	all, err := s.opts.Burns.Burns(ctx, from, to)
	if err != nil {
		return
	}
	loc := s.opts.Place.Loc
	if loc == nil {
		loc = time.UTC
	}
	var points []*telemetry.Point
	for _, b := range all {
		if !want[burnKey{b.Light, b.Day}] {
			continue
		}
		day, err := time.ParseInLocation(time.DateOnly, b.Day, loc)
		if err != nil {
			continue
		}
		st, _ := s.opts.Registry.Get(b.Light)
		dev := st.Device
		dev.ID, dev.Zone = b.Light, b.Zone
		points = append(points, telemetry.LightBurnPoint(s.opts.Area, dev, b.OnSeconds/3600, b.EnergyKWh, day))
	}
	s.opts.Points.Add(points, func() {})
}
