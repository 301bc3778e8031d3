package lights

import (
	"context"
	"slices"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/schedule"
)

// LightProgramme is one enabled light programme and the lights it runs.
type LightProgramme struct {
	ID        string
	Programme schedule.Programme
	// Lights are the device ids the programme's target resolves to.
	Lights []string
	// PerLight is true when the target names devices: such a programme wins
	// over a zone or area programme for its lights.
	PerLight bool
}

// Programmes is where the service finds the light programmes in force
// (the schedule service, kind light).
type Programmes interface {
	// LightProgrammes returns every enabled light programme.
	LightProgrammes(ctx context.Context) ([]LightProgramme, error)
}

// scheduleUser is who a programme's desired states are set by.
const scheduleUser = "schedule"

// programmeFor returns, per light, the programme that runs it: a per-light
// programme wins over a zone one; ties go to the smaller id.
func programmeFor(ps []LightProgramme) map[string]*LightProgramme {
	ps = slices.Clone(ps)
	slices.SortFunc(ps, func(a, b LightProgramme) int {
		if a.PerLight != b.PerLight {
			if a.PerLight {
				return -1
			}
			return 1
		}
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
	out := map[string]*LightProgramme{}
	for i := range ps {
		for _, id := range ps[i].Lights {
			if out[id] == nil {
				out[id] = &ps[i]
			}
		}
	}
	return out
}

// overrideOver reports whether override d has ended at now: its hold
// duration passed, or (holding until the next step) the programme stepped
// since it was set.
func overrideOver(d Desired, p *LightProgramme, now time.Time, pl schedule.Place) bool {
	if !d.Until.IsZero() {
		return !now.Before(d.Until)
	}
	if p == nil {
		return false
	}
	_, since, ok := p.Programme.StateAt(now, pl)
	return ok && since.After(d.At)
}

// Tick applies the programmes at now: every light run by a programme and
// not held by an override gets the programme's setting as its desired
// state, and is sent it when that changed; overrides that ended are
// released. It returns when the next step or override end falls (zero when
// none is known). The runner calls it; tests call it with their own clock.
func (s *Service) Tick(ctx context.Context, now time.Time) time.Time {
	var ps []LightProgramme
	if s.opts.Programmes != nil {
		var err error
		if ps, err = s.opts.Programmes.LightProgrammes(ctx); err != nil {
			s.log.Error("light programmes not read", "err", err)
			return now.Add(time.Minute)
		}
	}
	byLight := programmeFor(ps)
	pl := s.opts.Place
	s.mu.Lock()
	s.progs = ps
	s.mu.Unlock()
	var next time.Time
	soonest := func(t time.Time) {
		if !t.IsZero() && t.After(now) && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	for i := range ps {
		if _, at, ok := ps[i].Programme.Next(now, pl); ok {
			soonest(at)
		}
	}
	var sends []send
	s.mu.Lock()
	for _, st := range s.opts.Registry.List(devices.Filter{Kind: devices.Light}) {
		id := st.ID
		p := byLight[id]
		d, known := s.desired[id]
		if known && d.Override {
			if !overrideOver(d, p, now, pl) {
				soonest(d.Until)
				continue
			}
			s.m.overridesEnded.Inc()
		}
		if p == nil {
			if known && d.Override { // the hold ended and no programme runs the light: keep the state
				d.Override, d.Until = false, time.Time{}
				s.putDesiredLocked(ctx, d)
			}
			continue
		}
		set, _, ok := p.Programme.StateAt(now, pl)
		if !ok {
			continue
		}
		nd := Desired{Light: id, On: set.On, By: scheduleUser, At: now}
		if set.On {
			nd.Brightness = devices.Int(set.Brightness)
		} else if known {
			nd.Brightness = d.Brightness
		}
		if known && !d.Override && d.By == scheduleUser && d.On == nd.On && sameBrightness(d, nd) {
			continue
		}
		s.putDesiredLocked(ctx, nd)
		// Lights not known to be online get it from the reconciler when they are.
		if st.Availability == devices.Online && len(s.waiting[id]) == 0 {
			sends = append(sends, send{dev: st.Device, id: newID("p"), state: nd.State()})
		}
	}
	s.mu.Unlock()
	s.saveDesired(ctx)
	s.sendAll(ctx, sends)
	for _, sd := range sends {
		s.point(sd.dev, sd.id, scheduleUser, StatusPending, "", now)
	}
	return next
}

func sameBrightness(a, b Desired) bool {
	if !a.On {
		return true
	}
	return (a.Brightness == nil) == (b.Brightness == nil) && (a.Brightness == nil || *a.Brightness == *b.Brightness)
}

// runProgrammes calls Tick at each step and override end, at least every
// maxTickWait and whenever ProgrammesChanged is called, until ctx ends.
func (s *Service) runProgrammes(ctx context.Context) {
	const maxTickWait = 30 * time.Second
	for {
		if s.opts.ClockOK != nil && !s.opts.ClockOK() {
			select { // hold: the clock cannot say which step holds now
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
			continue
		}
		now := s.opts.Now()
		next := s.Tick(ctx, now)
		wait := maxTickWait
		if !next.IsZero() && next.Sub(now) < wait {
			wait = max(next.Sub(now), 10*time.Millisecond)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		case <-s.changed:
			t.Stop()
		}
	}
}

// ProgrammesChanged makes the service apply the programmes again at once;
// call it when a light programme is created, changed or deleted.
func (s *Service) ProgrammesChanged() {
	select {
	case s.changed <- struct{}{}:
	default:
	}
}
