package lights

import (
	"context"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// Desired is what hamlet wants one light to be, and why.
type Desired struct {
	Light string // the light's device id
	On    bool
	// Brightness is 0–100; nil when never set (the light's own default).
	Brightness *int
	// Override is true while a manual command holds against the programme:
	// until Until, or until the programme's next step when Until is zero.
	Override bool
	By       string    // who set it: a user name, or "schedule"
	Until    time.Time // when the override ends; zero: at the programme's next step
	At       time.Time // when it was set
}

// State returns d as the domain's light state.
func (d Desired) State() devices.LightState {
	st := devices.LightState{On: devices.Bool(d.On)}
	if d.On && d.Brightness != nil {
		b := *d.Brightness
		st.Brightness = &b
	}
	return st
}

// apply overlays set on d: a brightness alone switches the light on (above
// 0) or off (0), as firmware does.
func (d *Desired) apply(set LightSet) {
	if set.Brightness != nil {
		b := *set.Brightness
		d.Brightness = &b
		if set.On == nil {
			d.On = b > 0
		}
	}
	if set.On != nil {
		d.On = *set.On
	}
}

// setDesiredLocked records the desired state a command asks of light id,
// held as an override until the programme's next step or for req.HoldFor,
// and returns the state to send. With hold "none" nothing is recorded: the
// state is sent once and the programme's (or the previous) desired state
// stays. s.mu is held.
func (s *Service) setDesiredLocked(ctx context.Context, id string, set LightSet, req CommandRequest, by string, now time.Time) devices.LightState {
	d := s.desired[id]
	d.Light = id
	if _, known := s.desired[id]; !known {
		if st, ok := s.opts.Registry.Get(id); ok && st.Reported.Light != nil {
			if l := st.Reported.Light; l.On != nil {
				d.On = *l.On
			}
			d.Brightness = st.Reported.Light.Brightness
		}
	}
	d.apply(set)
	if req.Hold == HoldNone { // sent without holding: the desired state stays as it was
		return d.State()
	}
	d.By, d.At = by, now
	d.Override, d.Until = true, time.Time{}
	if req.HoldFor > 0 {
		d.Until = now.Add(req.HoldFor)
	}
	s.putDesiredLocked(ctx, d)
	want := d.State()
	return want
}

// putDesiredLocked keeps d in memory and in the registry, and marks it to
// be saved by the next saveDesired. s.mu is held.
func (s *Service) putDesiredLocked(_ context.Context, d Desired) {
	s.desired[d.Light] = d
	st := d.State()
	s.opts.Registry.SetDesired(d.Light, devices.State{Light: &st})
	s.dirty[d.Light] = true
}

// saveDesired writes the desired states changed since the last call to the
// store, in one transaction. Calls are serialised and each writes the
// latest values, so the store never goes back to an older state.
func (s *Service) saveDesired(ctx context.Context) {
	if s.opts.Store == nil {
		return
	}
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	s.mu.Lock()
	ds := make([]Desired, 0, len(s.dirty))
	for id := range s.dirty {
		ds = append(ds, s.desired[id])
	}
	clear(s.dirty)
	s.mu.Unlock()
	if len(ds) == 0 {
		return
	}
	if err := s.opts.Store.SaveDesired(context.WithoutCancel(ctx), ds); err != nil {
		s.m.storeErrors.Add(float64(len(ds)))
		s.log.Error("desired states not saved", "count", len(ds), "err", err)
	}
}

// Load reads the desired states kept in the store into the service and the
// registry. Call it once before Run.
func (s *Service) Load(ctx context.Context) error {
	if s.opts.Store == nil {
		return nil
	}
	ds, err := s.opts.Store.LoadDesired(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range ds {
		s.desired[d.Light] = d
		st := d.State()
		s.opts.Registry.SetDesired(d.Light, devices.State{Light: &st})
	}
	return nil
}

// DesiredOf returns the desired state of light id, if any.
func (s *Service) DesiredOf(id string) (Desired, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.desired[id]
	return d, ok
}

// matches reports whether got is the state want asks for; cannotDim is
// true when the light switched as asked but reports no brightness although
// a brightness other than 100 was asked for.
func matches(want devices.LightState, got *devices.LightState) (ok, cannotDim bool) {
	if got == nil || got.On == nil || want.On == nil || *got.On != *want.On {
		return false, false
	}
	if !*want.On || want.Brightness == nil {
		return true, false
	}
	if got.Brightness == nil {
		if *want.Brightness == 100 {
			return true, false
		}
		return false, true
	}
	diff := *got.Brightness - *want.Brightness
	return diff >= -1 && diff <= 1, false
}
