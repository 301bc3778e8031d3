package devices

import (
	"sync"
	"sync/atomic"
	"time"
)

// ChangeType says what changed about a device.
type ChangeType string

// Change types.
const (
	ChangeState        ChangeType = "state"        // reported or desired state
	ChangeAvailability ChangeType = "availability" // online, offline, unknown
	ChangeTelemetry    ChangeType = "telemetry"    // new metrics
	ChangeDevice       ChangeType = "device"       // discovered or updated
	ChangeRemoved      ChangeType = "removed"      // discovery record cleared
)

// Change is one change to one device, with the device's status after it.
type Change struct {
	Type   ChangeType
	Status Status
}

// Transition is a change of availability, as recorded in the store and in InfluxDB.
type Transition struct {
	Device Device
	From   Availability
	To     Availability
	Cause  Cause
	At     time.Time
}

// Hub fans values out to subscribers without blocking the publisher: a
// subscriber whose buffer is full misses the value, and the miss is counted.
// The zero value is ready to use. The registry publishes its Changes through
// one; the web server its command results.
type Hub[T any] struct {
	mu      sync.Mutex
	subs    map[int]chan T
	next    int
	dropped atomic.Uint64
}

// Subscribe returns a channel of published values and a cancel function that
// closes it; cancel is safe to call more than once.
func (h *Hub[T]) Subscribe(buffer int) (<-chan T, func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = map[int]chan T{}
	}
	id := h.next
	h.next++
	ch := make(chan T, buffer)
	h.subs[id] = ch
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.subs, id)
			h.mu.Unlock()
			close(ch)
		})
	}
}

// Publish offers v to every subscriber.
func (h *Hub[T]) Publish(v T) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ch := range h.subs {
		select {
		case ch <- v:
		default:
			h.dropped.Add(1)
		}
	}
}

// Subscribers returns how many subscribers there are now.
func (h *Hub[T]) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

// Dropped returns how many values subscribers missed.
func (h *Hub[T]) Dropped() uint64 { return h.dropped.Load() }
