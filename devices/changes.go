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

// hub fans changes out to subscribers without blocking the publisher.
type hub struct {
	mu      sync.Mutex
	subs    map[int]chan Change
	next    int
	dropped atomic.Uint64
}

func (h *hub) subscribe(buffer int) (<-chan Change, func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = map[int]chan Change{}
	}
	id := h.next
	h.next++
	ch := make(chan Change, buffer)
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

func (h *hub) publish(c Change) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ch := range h.subs {
		select {
		case ch <- c:
		default:
			h.dropped.Add(1)
		}
	}
}

func (h *hub) droppedCount() uint64 { return h.dropped.Load() }
