package lights

import (
	"context"
	"errors"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// reconciler sends lights their desired state when it differs from the
// reported one, at most Options.ReconcileRate sends per second. Requests
// are coalesced: a light queued twice before its turn is sent once.
type reconciler struct {
	s       *Service
	pending map[string]bool
	order   []string
	all     bool
}

func newReconciler(s *Service) *reconciler { return &reconciler{s: s, pending: map[string]bool{}} }

// queue asks for light id to be reconciled.
func (r *reconciler) queue(id string) {
	select {
	case r.s.kick <- id:
	default:
		r.s.m.kickDropped.Inc()
		select { // too many at once: reconcile everything instead
		case r.s.kick <- "":
		default:
		}
	}
}

// Reconnected asks for every light to be reconciled once the retained
// states have had Options.Settle to arrive: call it when the broker link
// (re)connects, including the first time.
func (s *Service) Reconnected() {
	go func() {
		time.Sleep(s.opts.Settle)
		select {
		case s.kick <- "":
		default:
		}
	}()
}

// run sends queued lights their desired state until ctx ends.
func (r *reconciler) run(ctx context.Context) {
	interval := time.Duration(float64(time.Second) / r.s.opts.ReconcileRate)
	next := time.Now()
	for {
		if len(r.order) == 0 && !r.all {
			select {
			case <-ctx.Done():
				return
			case id := <-r.s.kick:
				r.take(id)
			}
		}
		r.drain()
		if r.all {
			r.all = false
			for _, st := range r.s.opts.Registry.List(devices.Filter{Kind: devices.Light}) {
				r.take(st.ID)
			}
		}
		if len(r.order) == 0 {
			continue
		}
		id := r.order[0]
		r.order = r.order[1:]
		delete(r.pending, id)
		if wait := time.Until(next); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		if r.s.reconcileOne(ctx, id) {
			next = time.Now().Add(interval)
		}
	}
}

func (r *reconciler) take(id string) {
	if id == "" {
		r.all = true
		return
	}
	if !r.pending[id] {
		r.pending[id] = true
		r.order = append(r.order, id)
	}
}

func (r *reconciler) drain() {
	for {
		select {
		case id := <-r.s.kick:
			r.take(id)
		default:
			return
		}
	}
}

// reconcileOne sends light id its desired state when it is not offline and
// its reported state differs (a state never reported differs, and the
// light's answer tells it), or asks an online light without either for its
// state; it reports whether it sent anything.
func (s *Service) reconcileOne(ctx context.Context, id string) bool {
	st, ok := s.opts.Registry.Get(id)
	if !ok || st.Availability == devices.Offline {
		return false
	}
	s.mu.Lock()
	d, known := s.desired[id]
	busy := len(s.waiting[id]) > 0
	s.mu.Unlock()
	if !known && st.Reported.Light == nil && st.Availability == devices.Online {
		return s.queryState(ctx, st.Device)
	}
	if !known || busy {
		return false
	}
	want := d.State()
	if ok, cannotDim := matches(want, st.Reported.Light); ok || cannotDim {
		return false
	}
	sd := send{dev: st.Device, id: newID("r"), state: want}
	err := s.publish(ctx, sd)
	var enc *encodeError
	if errors.As(err, &enc) && st.Availability != devices.Online {
		// Not heard from yet since the (re)connection: an ESPHome light's
		// command topic comes with its discovery record, which may follow.
		// It is queued again when it comes online.
		s.log.Debug("desired state not sent yet", "light", id, "err", err)
		return false
	}
	if err != nil && !errors.As(err, &enc) {
		// The broker link failed (it is down, closing at shutdown, or the
		// broker did not acknowledge): the lamp refused nothing, and it is
		// sent its state again when the link is back (Reconnected).
		s.log.Info("desired state not sent: the broker link failed; it is sent again when the link is back", "light", id, "err", err)
		return false
	}
	result := StatusPending
	errText := ""
	if err != nil {
		result, errText = StatusRejected, err.Error()
		s.log.Warn("desired state not sent", "light", id, "err", err)
	}
	s.m.reconciled.Inc()
	s.point(st.Device, sd.id, "hamlet", result, errText, s.opts.Now())
	return true
}

// queryAgain is how long after asking a light for its state it is not
// asked again: a light that does not answer is not asked at every
// reconciliation.
const queryAgain = 10 * time.Minute

// queryState asks light d, which has not reported its state since hamletd
// started, to publish it, when its protocol can be asked
// (devices.StateQuerier) and it was not asked within queryAgain. It
// reports whether it sent anything. Only the reconciler calls it.
func (s *Service) queryState(ctx context.Context, d devices.Device) bool {
	q, ok := s.opts.Encoders.Adapter(d.Protocol).(devices.StateQuerier)
	if !ok {
		return false // ESPHome, native: the state is retained, and came with the subscription
	}
	now := s.opts.Now()
	if at, asked := s.queried[d.ID]; asked && now.Sub(at) < queryAgain {
		return false
	}
	msgs, err := q.QueryState(d)
	if err != nil {
		s.log.Debug("light state not asked", "light", d.ID, "err", err)
		return false
	}
	s.queried[d.ID] = now
	for _, m := range msgs {
		wait, err := s.opts.Publisher.Send(m.Topic, 1, false, m.Payload)
		if err == nil {
			ctx, cancel := context.WithTimeout(ctx, s.opts.PublishTimeout)
			err = wait(ctx)
			cancel()
		}
		if err != nil {
			s.log.Info("light state not asked: the broker link failed", "light", d.ID, "err", err)
			delete(s.queried, d.ID) // asked again when the link is back
			return true
		}
	}
	s.m.stateQueries.Inc()
	return true
}
