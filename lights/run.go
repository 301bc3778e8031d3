package lights

import (
	"context"
	"sync"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// Run confirms commands from the lights' reported states, times out those
// that never confirm and reconciles lights with their desired state, until
// ctx ends.
func (s *Service) Run(ctx context.Context) error {
	// Each light's newest change of each type, never dropped however many
	// lamps answer at once, in memory for one change per light and type (a
	// channel buffer for a burst of 5,000 lamps' answers was 2.8 MB from the
	// start). Not the desired states it sets itself.
	changes, cancel := s.opts.Registry.SubscribeLatestFunc(func(c devices.Change) bool {
		return c.Status.Kind == devices.Light && c.Type != devices.ChangeDesired
	})
	defer cancel()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	flush := time.NewTicker(burnFlushEvery)
	defer flush.Stop()
	defer func() { s.flushBurn(context.WithoutCancel(ctx), s.opts.Now()) }()
	rec := newReconciler(s)
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	wg.Go(func() { rec.run(ctx) })
	wg.Go(func() { s.runProgrammes(ctx) })
	for ticks := 0; ; {
		select {
		case <-ctx.Done():
			return nil
		case _, ok := <-changes.Ready():
			if !ok {
				return nil
			}
			for _, c := range changes.Take() {
				s.observe(c, rec)
			}
		case <-flush.C:
			s.flushBurn(ctx, s.opts.Now())
		case <-tick.C:
			s.saveDesired(ctx) // e.g. brightness dropped from lamps that cannot dim
			now := s.opts.Now()
			s.expire(now)
			if ticks++; ticks%4 == 0 { // faults are judged in minutes: once a second is plenty
				s.CheckFaults(now)
			}
		}
	}
}

// burnFlushEvery is how often burning hours are written to the store.
const burnFlushEvery = time.Minute

// observe confirms waiting commands from a light's new state and queues a
// light that came back online for reconciling.
func (s *Service) observe(c devices.Change, rec *reconciler) {
	if c.Status.Kind != devices.Light {
		return
	}
	if s.opts.Burns != nil {
		s.mu.Lock()
		s.accountLocked(c.Status, s.opts.Now())
		s.mu.Unlock()
	}
	switch c.Type {
	case devices.ChangeState:
		s.confirm(c.Status)
	case devices.ChangeAvailability:
		if c.Status.Availability == devices.Online {
			rec.queue(c.Status.ID)
		}
	}
}

// confirm decides the commands waiting for st's light that its reported state answers.
func (s *Service) confirm(st devices.Status) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range append([]*waiter(nil), s.waiting[st.ID]...) {
		ok, cannotDim := matches(w.want, st.Reported.Light)
		switch {
		case ok:
			s.decideLocked(w, StatusConfirmed, "")
		case cannotDim && w.undimmed.IsZero():
			w.undimmed = s.opts.Now()
		}
	}
}

// cannotDimLocked decides w once its light switched but never reported a
// brightness: rejected when the command asked a brightness, confirmed when
// it only switched (the brightness came from the light's desired state).
// The light's desired brightness is dropped so that it is asked only what
// it can do. s.mu is held.
func (s *Service) cannotDimLocked(w *waiter) {
	id := w.cmd.devs[w.idx].ID
	if d, known := s.desired[id]; known && d.Brightness != nil {
		d.Brightness = nil
		s.putDesiredLocked(context.Background(), d)
	}
	if !w.dimAsked {
		s.decideLocked(w, StatusConfirmed, "")
		return
	}
	s.decideLocked(w, StatusRejected, msgCannotDim)
}

// Ack takes a device's answer to a command (native ack, Shelly RPC reply):
// a refusal rejects the command for that device. It never blocks.
func (s *Service) Ack(d devices.Device, a devices.Ack) {
	if a.OK {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range append([]*waiter(nil), s.waiting[d.ID]...) {
		if w.cmd.id == a.ID {
			msg := "Đèn từ chối lệnh / the light refused the command"
			if a.Error != "" {
				msg += ": " + a.Error
			}
			s.decideLocked(w, StatusRejected, msg)
		}
	}
}

// expire rejects the waiters whose light switched but showed no
// brightness for dimGrace, and times out those whose deadline passed.
func (s *Service) expire(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ws := range s.waiting {
		for _, w := range append([]*waiter(nil), ws...) {
			switch {
			case !w.undimmed.IsZero() && now.Sub(w.undimmed) >= dimGrace:
				s.cannotDimLocked(w)
			case !now.Before(w.deadline):
				s.decideLocked(w, StatusTimeout, msgTimeout)
			}
		}
	}
}
