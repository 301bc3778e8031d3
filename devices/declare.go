package devices

import "time"

// Declare adds a device declared after the registry was built (a config
// reload), or updates the name, kind and zone of a known one at the same
// address. It reports whether anything changed, and refuses (false) a known
// id whose protocol, topic or channel changed: that needs a restart.
func (r *Registry) Declare(d Device, at time.Time) (changed, ok bool) {
	r.mu.Lock()
	s, known := r.byID[d.ID]
	var st Status
	switch {
	case !known:
		s = r.add(d, at)
		changed = true
	case AddressOf(s.Device) != AddressOf(d):
		r.mu.Unlock()
		return false, false
	case s.Name != d.Name || s.Kind != d.Kind || s.Zone != d.Zone:
		s.Name, s.Kind, s.Zone = d.Name, d.Kind, d.Zone
		changed = true
	}
	if changed {
		st = s.clone()
	}
	r.mu.Unlock()
	if changed {
		r.hub.Publish(Change{Type: ChangeDevice, Status: st})
	}
	return changed, true
}
