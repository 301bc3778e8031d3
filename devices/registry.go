package devices

import (
	"errors"
	"fmt"
	"maps"
	"sort"
	"sync"
	"time"
)

// Address is how a protocol names a device: the protocol and its own key
// (Tasmota %topic%, Shelly prefix, ESPHome node, Frigate camera, ...).
type Address struct {
	Protocol Protocol
	Key      string
}

// AddressOf returns the address under which d's reports arrive.
func AddressOf(d Device) Address {
	key := d.Topic
	if d.Protocol == Native || key == "" {
		key = d.ID
	}
	return Address{Protocol: d.Protocol, Key: key}
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
	Telemetry    map[string]float64
	TelemetryAt  time.Time
	// Model and Firmware come from discovery or self-registration.
	Model, Firmware string
	// explicit is true once the device sent an availability signal (LWT);
	// talks once it sent live telemetry. Both steer the inactivity timeout.
	explicit, talks bool
}

// clone returns a copy that shares nothing with the registry.
func (s *Status) clone() Status {
	c := *s
	c.Reported = s.Reported.Clone()
	c.Desired = s.Desired.Clone()
	c.Telemetry = maps.Clone(s.Telemetry) // nil stays nil
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
	mu       sync.RWMutex
	byID     map[string]*Status
	byAddr   map[Address]string
	timeouts map[Kind]time.Duration
	// listening is when the broker link last (re)connected.
	listening time.Time
	hub       Hub[Change]
}

// NewRegistry returns a registry holding the declared devices, all of them
// with unknown availability since start. timeouts are the per-kind inactivity
// timeouts; a kind without one never times out.
func NewRegistry(declared []Device, timeouts map[Kind]time.Duration, start time.Time) *Registry {
	r := &Registry{byID: map[string]*Status{}, byAddr: map[Address]string{}, timeouts: timeouts, listening: start}
	for _, d := range declared {
		r.add(d, start)
	}
	return r
}

func (r *Registry) add(d Device, at time.Time) *Status {
	s := &Status{Device: d, Availability: Unknown, Since: at, Cause: CauseDaemonStart}
	r.byID[d.ID] = s
	r.byAddr[AddressOf(d)] = d.ID
	return s
}

// Lookup returns the device at addr.
func (r *Registry) Lookup(addr Address) (Device, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	id, ok := r.byAddr[addr]
	if !ok {
		return Device{}, false
	}
	return r.byID[id].Device, true
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
	out := make([]Status, 0, len(r.byID))
	for _, s := range r.byID {
		if f.match(s.Device) {
			out = append(out, s.clone())
		}
	}
	r.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Zone != out[j].Zone {
			return out[i].Zone < out[j].Zone
		}
		return out[i].ID < out[j].ID
	})
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

// Forget removes a discovered device (its discovery record was cleared).
// Declared devices are never removed.
func (r *Registry) Forget(addr Address) (Device, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id, ok := r.byAddr[addr]
	if !ok || !r.byID[id].Discovered {
		return Device{}, false
	}
	s := r.byID[id]
	delete(r.byAddr, addr)
	delete(r.byID, id)
	r.hub.Publish(Change{Type: ChangeRemoved, Status: s.clone()})
	return s.Device, true
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
	r.hub.Publish(Change{Type: ChangeState, Status: s.clone()})
	return true
}

// Subscribe returns a channel of changes with the given buffer and a cancel
// function. A subscriber that falls behind loses changes (counted in
// Dropped) rather than slowing the registry.
func (r *Registry) Subscribe(buffer int) (<-chan Change, func()) { return r.hub.Subscribe(buffer) }

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
