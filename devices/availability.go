package devices

import (
	"maps"
	"time"
)

// Availability rules, applied by the registry:
//
//   - An availability signal (a Last Will, a birth message, Frigate's
//     frigate/available, a bridge's connected topic) sets the device online
//     or offline, retained or live alike, with cause lwt (frigate for Frigate).
//   - A Frigate camera whose camera_fps drops to 0 is offline (cause frigate)
//     until it streams again.
//   - A live (not retained) message of any other kind is activity: a device
//     that was offline or unknown is online again (cause activity). Retained
//     messages replayed at subscribe time are not activity: they can be old.
//   - Inactivity timeout (config availability.timeout, per kind): a device is
//     set offline (cause timeout) when it has been silent longer than its
//     kind's timeout and either it never sent an availability signal (no
//     Last Will to rely on) or it usually sends live telemetry (Tasmota
//     TelePeriod, Shelly status, native telemetry) and that stopped. A quiet
//     device with a Last Will (a light that only speaks when switched) is
//     judged by its Last Will alone, so it is not flagged falsely.
//   - While the daemon or its broker link is down, every device is unknown
//     (MarkAll with cause daemon-start or link-down): neither up nor down.

// CauseLinkDown marks the unknown period while the broker link is down.
const CauseLinkDown Cause = "link-down"

// Observe applies one report about the device at addr, received at `at`, and
// returns the changes it caused (their Status is set only when someone
// subscribes: copying it for nobody would cost every message) and any
// availability transitions. An address
// not in the registry yields ok=false; the caller decides whether to
// register it (see Discover).
func (r *Registry) Observe(addr Address, rep Report, retained bool, at time.Time) (changes []Change, transitions []Transition, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, types, transitions, ok := r.observeLocked(addr, rep, retained, at)
	if !ok {
		return nil, nil, false
	}
	var st Status
	subscribed := r.hub.Subscribers() > 0
	if subscribed {
		st = s.clone() // one copy serves every change: subscribers only read it
	}
	for _, t := range types {
		if t == "" {
			continue
		}
		changes = append(changes, Change{Type: t, Status: st})
		if subscribed {
			r.hub.Publish(changes[len(changes)-1])
		}
	}
	return changes, transitions, true
}

// Apply applies a report as Observe does and returns the device at addr
// instead of the changes: the ingest path's variant, which allocates nothing
// for a report that causes no transition while nobody subscribes.
func (r *Registry) Apply(addr Address, rep Report, retained bool, at time.Time) (Device, []Transition, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, types, transitions, ok := r.observeLocked(addr, rep, retained, at)
	if !ok {
		return Device{}, nil, false
	}
	r.publishLocked(s, types)
	return s.Device, transitions, true
}

// changeTypes are the changes one report caused, in the order Observe
// returns them; unused entries are empty.
type changeTypes [3]ChangeType

// observeLocked applies rep to the device at addr (see Resolve); r.mu is
// held. State, metrics and events go to that device; liveness (last seen,
// availability) is the controller's and goes to every one of its channels,
// whose transitions are returned and published here.
func (r *Registry) observeLocked(addr Address, rep Report, retained bool, at time.Time) (*Status, changeTypes, []Transition, bool) {
	var types changeTypes
	s := r.resolveLocked(addr, rep.Primary)
	if s == nil {
		return nil, types, nil, false
	}
	if rep.Light != nil || rep.Speaker != nil || rep.Camera != nil {
		if s.Reported.Merge(rep) {
			types[0] = ChangeState
		}
	}
	if len(rep.Metrics) > 0 {
		// A new map: snapshots handed out share the old one.
		m := make(map[string]float64, len(s.Telemetry)+len(rep.Metrics))
		maps.Copy(m, s.Telemetry)
		maps.Copy(m, rep.Metrics)
		s.Telemetry = m
		s.TelemetryAt = at
		types[1] = ChangeTelemetry
	}
	var transitions []Transition
	ids := r.byCtrl[AddressOf(s.Device).Controller()]
	for _, id := range ids {
		c := r.byID[id]
		n := len(transitions)
		transitions = r.live(c, addr.Protocol, rep, retained, at, transitions)
		if c == s && len(transitions) > n {
			types[2] = ChangeAvailability
		} else if c != s && len(transitions) > n {
			r.publishTransitions(transitions[n:])
		}
	}
	return s, types, transitions, true
}

// live applies what rep says about the liveness of one channel c of the
// controller, appending its availability transition to ts; r.mu is held.
func (r *Registry) live(c *Status, p Protocol, rep Report, retained bool, at time.Time, ts []Transition) []Transition {
	if !retained {
		c.LastSeen = at
		if len(rep.Metrics) > 0 {
			c.talks = true
		}
	}
	switch {
	case rep.Availability == Online || rep.Availability == Offline:
		c.explicit = true
		cause := CauseLWT
		if p == Frigate {
			cause = CauseFrigate
		}
		return r.transition(c, rep.Availability, cause, at, ts)
	case rep.Camera != nil && rep.Camera.Streaming != nil:
		to := Offline
		if *rep.Camera.Streaming {
			to = Online
		}
		return r.transition(c, to, CauseFrigate, at, ts)
	case !retained && c.Availability != Online:
		return r.transition(c, Online, CauseActivity, at, ts)
	}
	return ts
}

// publishLocked publishes the changes of s to subscribers, if any; r.mu is held.
func (r *Registry) publishLocked(s *Status, types changeTypes) {
	if types == (changeTypes{}) || r.hub.Subscribers() == 0 {
		return
	}
	st := s.clone() // one copy serves every change: subscribers only read it
	for _, t := range types {
		if t != "" {
			r.hub.Publish(Change{Type: t, Status: st})
		}
	}
}

// ObserveAll applies an availability signal that covers every device of a
// protocol (Frigate's frigate/available, sonos2mqtt's connected, the
// Zigbee2MQTT bridge state).
func (r *Registry) ObserveAll(p Protocol, a Availability, at time.Time) []Transition {
	if a != Online && a != Offline {
		return nil
	}
	cause := CauseLWT
	if p == Frigate {
		cause = CauseFrigate
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var ts []Transition
	for _, s := range r.byID {
		if s.Protocol == p {
			s.explicit = true
			ts = r.transition(s, a, cause, at, ts)
		}
	}
	r.publishTransitions(ts)
	return ts
}

// Expire applies the inactivity timeouts at time now and returns the
// resulting transitions.
func (r *Registry) Expire(now time.Time) []Transition {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ts []Transition
	for _, s := range r.byID {
		timeout, ok := r.timeouts[s.Kind]
		if !ok || timeout <= 0 || s.Availability == Offline {
			continue
		}
		if s.explicit && !s.talks && s.Availability == Online {
			continue // judged by its Last Will
		}
		silentSince := s.LastSeen
		if r.listening.After(silentSince) {
			silentSince = r.listening // silence while not listening proves nothing
		}
		if now.Sub(silentSince) > timeout {
			ts = r.transition(s, Offline, CauseTimeout, now, ts)
		}
	}
	r.publishTransitions(ts)
	return ts
}

// Listening records that the daemon hears its broker again from time at
// (connected or reconnected): inactivity is counted from then at the earliest.
func (r *Registry) Listening(at time.Time) {
	r.mu.Lock()
	r.listening = at
	r.mu.Unlock()
}

// MarkAll sets every device unknown (the daemon is starting, or its broker
// link went down) and returns the transitions.
func (r *Registry) MarkAll(cause Cause, at time.Time) []Transition {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ts []Transition
	for _, s := range r.byID {
		ts = r.transition(s, Unknown, cause, at, ts)
	}
	r.publishTransitions(ts)
	return ts
}

// transition moves s to availability `to` when it differs, appending the
// transition to ts. The caller holds r.mu.
func (r *Registry) transition(s *Status, to Availability, cause Cause, at time.Time, ts []Transition) []Transition {
	if s.Availability == to {
		return ts
	}
	t := Transition{Device: s.Device, From: s.Availability, To: to, Cause: cause, At: at}
	s.Availability, s.Since, s.Cause = to, at, cause
	return append(ts, t)
}

func (r *Registry) publishTransitions(ts []Transition) {
	for _, t := range ts {
		r.hub.Publish(Change{Type: ChangeAvailability, Status: r.byID[t.Device.ID].clone()})
	}
}
