package announce

import (
	"slices"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// speaker is one speaker's queue: at most one announcement in flight
// (current), the others waiting in order of priority, then creation.
type speaker struct {
	id       string
	current  string    // the announcement sent or playing, or ""
	cmd      string    // the id of the play command in flight
	deadline time.Time // when the speaker must have answered (or ended) by
	acked    bool      // the play command was acknowledged
	started  bool      // the speaker reported it plays the announcement in flight
	lost     bool      // it went offline after accepting the play in flight (see lost.go)
	away     bool      // lost, and not yet back online: no deadline runs
	retryAt  time.Time // after a publish failed: no new play before this
	queue    []*record
}

func (s *Service) speaker(id string) *speaker {
	sp, ok := s.speakers[id]
	if !ok {
		sp = &speaker{id: id}
		s.speakers[id] = sp
	}
	return sp
}

// rank orders priorities: emergency 2, priority 1, normal 0.
func rank(p string) int {
	switch p {
	case string(devices.Emergency):
		return 2
	case string(devices.Urgent):
		return 1
	}
	return 0
}

// enqueue adds r in priority order: after every queued item of the same or
// a higher priority, so that equal priorities keep their order; an item
// re-queued after preemption goes back by its creation time.
func (sp *speaker) enqueue(r *record) {
	if slices.Contains(sp.queue, r) {
		return
	}
	i := len(sp.queue)
	for j, q := range sp.queue {
		if rank(r.Priority) > rank(q.Priority) ||
			rank(r.Priority) == rank(q.Priority) && r.Seq < q.Seq {
			i = j
			break
		}
	}
	sp.queue = slices.Insert(sp.queue, i, r)
}

// remove takes r out of the queue.
func (sp *speaker) remove(r *record) {
	sp.queue = slices.DeleteFunc(sp.queue, func(q *record) bool { return q == r })
}

// delivery returns r's delivery to device, or nil.
func (r *record) delivery(device string) *Delivery {
	for i := range r.Deliveries {
		if r.Deliveries[i].Device == device {
			return &r.Deliveries[i]
		}
	}
	return nil
}

// target returns the speaker device of r with id, or the registry's.
func (s *Service) target(r *record, id string) devices.Device {
	for _, d := range r.Targets {
		if d.ID == id {
			if s.opts.Devices != nil {
				if st, ok := s.opts.Devices.Get(id); ok {
					return st.Device
				}
			}
			return d
		}
	}
	return devices.Device{ID: id, Kind: devices.Speaker}
}

// online reports whether the registry does not know the speaker to be
// offline (unknown counts as reachable: the command may still arrive).
func (s *Service) online(id string) bool {
	if s.opts.Devices == nil {
		return true
	}
	st, ok := s.opts.Devices.Get(id)
	return !ok || st.Availability != devices.Offline
}
