package devices

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"
)

// Address is how a protocol names a device: the protocol, its own key
// (Tasmota %topic%, Shelly prefix, ESPHome node, Frigate camera, ...) and,
// on a multi-output controller, the output's channel (empty: the first
// output, or the controller as a whole).
type Address struct {
	Protocol Protocol
	Key      string
	Channel  string
}

// Controller returns the address of a's controller: a without its channel.
func (a Address) Controller() Address { return Address{Protocol: a.Protocol, Key: a.Key} }

// AddressOf returns the address under which d's reports arrive.
func AddressOf(d Device) Address {
	key := d.Topic
	if d.Protocol == Native || key == "" {
		key = d.ID
	}
	return Address{Protocol: d.Protocol, Key: key, Channel: d.Channel}
}

// Status is the registry's view of one device.
type Status struct {
	Device
	Availability Availability
	Since        time.Time // when Availability last changed
	Cause        Cause     // why it last changed
	LastSeen     time.Time // the last live message; zero if none yet
	Reported     State
	Desired      State
	// Telemetry is the latest value of each metric. The registry replaces
	// the map when metrics arrive and never changes it afterwards, so
	// snapshots share it: read it, never write to it.
	Telemetry   map[string]float64
	TelemetryAt time.Time
	// Model and Firmware come from discovery or self-registration.
	Model, Firmware string
	// explicit is true once the device sent an availability signal (LWT);
	// talks once it sent live telemetry. Both steer the inactivity timeout.
	explicit, talks bool
}

// clone returns a copy that shares nothing with the registry that the
// registry may change (Telemetry is replaced, never changed in place).
func (s *Status) clone() Status {
	c := *s
	c.Reported = s.Reported.Clone()
	c.Desired = s.Desired.Clone()
	return c
}

// Filter selects devices in List. Zero fields match everything.
type Filter struct {
	Kind  Kind
	Zone  string
	Zones []string // when non-empty, only devices in these zones
}

func (f Filter) match(d Device) bool {
	if f.Kind != "" && d.Kind != f.Kind {
		return false
	}
	if f.Zone != "" && d.Zone != f.Zone {
		return false
	}
	if len(f.Zones) > 0 {
		for _, z := range f.Zones {
			if z == d.Zone {
				return true
			}
		}
		return false
	}
	return true
}

// Registry holds every known device and its current state, availability and
// telemetry. It is safe for concurrent use. Changes are published to
// subscribers; persisting them is the caller's job (the daemon writes
// transitions and discovered devices to the store).
type Registry struct {
	mu     sync.RWMutex
	byID   map[string]*Status
	byAddr map[Address]string
	// byCtrl lists, per controller address, the ids of its channels' devices
	// in channel order (the device without a channel first).
	byCtrl   map[Address][]string
	timeouts map[Kind]time.Duration
	// listening is when the broker link last (re)connected.
	listening time.Time
	hub       Hub[Change]
}

// NewRegistry returns a registry holding the declared devices, all of them
// with unknown availability since start. timeouts are the per-kind inactivity
// timeouts; a kind without one never times out.
func NewRegistry(declared []Device, timeouts map[Kind]time.Duration, start time.Time) *Registry {
	r := &Registry{byID: map[string]*Status{}, byAddr: map[Address]string{}, byCtrl: map[Address][]string{}, timeouts: timeouts, listening: start}
	for _, d := range declared {
		r.add(d, start)
	}
	return r
}

func (r *Registry) add(d Device, at time.Time) *Status {
	s := &Status{Device: d, Availability: Unknown, Since: at, Cause: CauseDaemonStart}
	r.byID[d.ID] = s
	a := AddressOf(d)
	r.byAddr[a] = d.ID
	ids := append(r.byCtrl[a.Controller()], d.ID)
	sort.SliceStable(ids, func(i, j int) bool { return r.byID[ids[i]].Channel < r.byID[ids[j]].Channel })
	r.byCtrl[a.Controller()] = ids
	return s
}

// remove deletes s from the indexes; r.mu is held.
func (r *Registry) remove(s *Status) {
	a := AddressOf(s.Device)
	delete(r.byAddr, a)
	delete(r.byID, s.ID)
	ids := slices.DeleteFunc(r.byCtrl[a.Controller()], func(id string) bool { return id == s.ID })
	if len(ids) == 0 {
		delete(r.byCtrl, a.Controller())
	} else {
		r.byCtrl[a.Controller()] = ids
	}
}

// Lookup returns the device at exactly addr (channel included).
func (r *Registry) Lookup(addr Address) (Device, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	id, ok := r.byAddr[addr]
	if !ok {
		return Device{}, false
	}
	return r.byID[id].Device, true
}

// Resolve returns the device a report at addr is about, as Observe finds
// it: the device with exactly addr's channel; else, when primary (the
// channel is the controller's first output), the controller's device
// declared without a channel; else, when addr names no channel, the
// controller's first device in channel order.
func (r *Registry) Resolve(addr Address, primary bool) (Device, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if s := r.resolveLocked(addr, primary); s != nil {
		return s.Device, true
	}
	return Device{}, false
}

// resolveLocked is Resolve with r.mu held.
func (r *Registry) resolveLocked(addr Address, primary bool) *Status {
	if id, ok := r.byAddr[addr]; ok {
		return r.byID[id]
	}
	if addr.Channel != "" {
		if id, ok := r.byAddr[addr.Controller()]; ok && primary {
			return r.byID[id]
		}
		return nil
	}
	if ids := r.byCtrl[addr]; len(ids) > 0 {
		return r.byID[ids[0]]
	}
	return nil
}

// Channels returns the devices of the controller at addr (its channel is
// ignored), in channel order: the outputs that share its availability.
func (r *Registry) Channels(addr Address) []Device {
	r.mu.RLock()
	defer r.mu.RUnlock()
	ids := r.byCtrl[addr.Controller()]
	out := make([]Device, 0, len(ids))
	for _, id := range ids {
		out = append(out, r.byID[id].Device)
	}
	return out
}

// Get returns the status of the device with the given id.
func (r *Registry) Get(id string) (Status, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s, ok := r.byID[id]
	if !ok {
		return Status{}, false
	}
	return s.clone(), true
}

// List returns the devices matching f, sorted by zone then id.
func (r *Registry) List(f Filter) []Status {
	r.mu.RLock()
	defer r.mu.RUnlock()
	// Sort pointers, then copy: a Status is a few hundred bytes.
	ptrs := make([]*Status, 0, len(r.byID))
	for _, s := range r.byID {
		if f.match(s.Device) {
			ptrs = append(ptrs, s)
		}
	}
	slices.SortFunc(ptrs, func(a, b *Status) int { return cmp.Or(cmp.Compare(a.Zone, b.Zone), cmp.Compare(a.ID, b.ID)) })
	out := make([]Status, len(ptrs))
	for i, s := range ptrs {
		out[i] = s.clone()
	}
	return out
}

// Discover adds d, found by discovery, unless a device already has its
// address (a declared device keeps its id, zone and name; it only learns
// model and firmware). It returns the device now at that address and
// whether it was added.
func (r *Registry) Discover(d Device, model, firmware string, at time.Time) (Device, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if id, ok := r.byAddr[AddressOf(d)]; ok {
		s := r.byID[id]
		changed := (model != "" && s.Model != model) || (firmware != "" && s.Firmware != firmware)
		if model != "" {
			s.Model = model
		}
		if firmware != "" {
			s.Firmware = firmware
		}
		if s.Kind == "" && d.Kind != "" {
			s.Kind, changed = d.Kind, true
		}
		if changed {
			r.hub.Publish(Change{Type: ChangeDevice, Status: s.clone()})
		}
		return s.Device, false
	}
	if _, taken := r.byID[d.ID]; taken {
		d.ID = d.ID + "-" + string(d.Protocol)
	}
	d.Discovered = true
	s := r.add(d, at)
	s.Model, s.Firmware = model, firmware
	r.hub.Publish(Change{Type: ChangeDevice, Status: s.clone()})
	return d, true
}

// Forget removes discovered devices (their discovery record was cleared)
// and returns them: the device at exactly addr when addr names a channel,
// else every discovered channel of the controller at addr. Declared devices
// are never removed.
func (r *Registry) Forget(addr Address) []Device {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids := r.byCtrl[addr]
	if addr.Channel != "" {
		ids = nil
		if id, ok := r.byAddr[addr]; ok {
			ids = []string{id}
		}
	}
	var out []Device
	for _, id := range slices.Clone(ids) {
		s := r.byID[id]
		if !s.Discovered {
			continue
		}
		r.remove(s)
		r.hub.Publish(Change{Type: ChangeRemoved, Status: s.clone()})
		out = append(out, s.Device)
	}
	return out
}

// SetDesired records what hamlet wants the device's state to be.
func (r *Registry) SetDesired(id string, desired State) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.byID[id]
	if !ok {
		return false
	}
	s.Desired = desired.Clone()
	r.hub.Publish(Change{Type: ChangeDesired, Status: s.clone()})
	return true
}

// Subscribe returns a channel of changes with the given buffer and a cancel
// function. A subscriber that falls behind loses changes (counted in
// Dropped) rather than slowing the registry.
func (r *Registry) Subscribe(buffer int) (<-chan Change, func()) { return r.hub.Subscribe(buffer) }

// SubscribeFunc is Subscribe for the changes keep accepts; keep runs while
// the registry publishes and must be quick.
func (r *Registry) SubscribeFunc(buffer int, keep func(Change) bool) (<-chan Change, func()) {
	return r.hub.SubscribeFunc(buffer, keep)
}

// SubscribeLatest returns a subscription that keeps each device's newest
// change of each type until taken, and never drops one: a live view falls
// behind a burst (a thousand lamps switched at once) by skipping a device's
// intermediate states, not its last. Changes are kept by the type they are
// shown as (ChangeType.Shown): a removal and a new discovery record are one
// type, so the newer wins.
func (r *Registry) SubscribeLatest() (*Latest[Change], func()) { return r.SubscribeLatestFunc(nil) }

// SubscribeLatestFunc is SubscribeLatest for the changes keep accepts (all
// when keep is nil); keep runs while the registry publishes and must be
// quick. Its memory is one waiting change per device and type, where a
// channel's buffer is its whole size from the start.
func (r *Registry) SubscribeLatestFunc(keep func(Change) bool) (*Latest[Change], func()) {
	return r.hub.SubscribeLatestFunc(func(c Change) LatestKey {
		return LatestKey{c.Status.ID, string(c.Type.Shown())}
	}, keep)
}

// Dropped returns how many changes were not delivered to slow subscribers.
func (r *Registry) Dropped() uint64 { return r.hub.Dropped() }

// DiscoveredCount returns how many devices were added by discovery.
func (r *Registry) DiscoveredCount() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	n := 0
	for _, s := range r.byID {
		if s.Discovered {
			n++
		}
	}
	return n
}

// ErrDeclared is returned when changing a device the config declares: its
// zone, kind and name belong to the config file.
var ErrDeclared = errors.New("declared in the config file")

// Assign sets the zone, kind and name of a discovered device (empty values
// keep the current ones) and returns its status.
func (r *Registry) Assign(id, zone string, kind Kind, name string) (Status, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.byID[id]
	if !ok {
		return Status{}, fmt.Errorf("device %q: %w", id, ErrUnknownDevice)
	}
	if !s.Discovered {
		return Status{}, fmt.Errorf("device %q: %w", id, ErrDeclared)
	}
	if zone != "" {
		s.Zone = zone
	}
	if kind != "" {
		s.Kind = kind
	}
	if name != "" {
		s.Name = name
	}
	r.hub.Publish(Change{Type: ChangeDevice, Status: s.clone()})
	return s.clone(), nil
}

// ErrUnknownDevice is returned for a device id the registry does not hold.
var ErrUnknownDevice = errors.New("unknown device")

// Counts returns how many devices of each kind have each availability,
// without copying their statuses (the /metrics scrape calls it).
func (r *Registry) Counts() map[Kind]map[Availability]int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := map[Kind]map[Availability]int{}
	for _, s := range r.byID {
		if out[s.Kind] == nil {
			out[s.Kind] = map[Availability]int{}
		}
		out[s.Kind][s.Availability]++
	}
	return out
}
