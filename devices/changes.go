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
	ChangeState        ChangeType = "state"        // reported state
	ChangeDesired      ChangeType = "desired"      // desired state (the lights capability sets it)
	ChangeAvailability ChangeType = "availability" // online, offline, unknown
	ChangeTelemetry    ChangeType = "telemetry"    // new metrics
	ChangeDevice       ChangeType = "device"       // discovered or updated
	ChangeRemoved      ChangeType = "removed"      // discovery record cleared
)

// Shown is the type a live view shows a change as: a removal is a device
// change (the newer of the two wins), a new desired state a state change
// (both carry the whole state, desired and reported).
func (t ChangeType) Shown() ChangeType {
	switch t {
	case ChangeRemoved:
		return ChangeDevice
	case ChangeDesired:
		return ChangeState
	}
	return t
}

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

// Hub fans values out to subscribers without blocking the publisher. A
// channel subscriber whose buffer is full misses the value, and the miss is
// counted; a Latest subscriber keeps the newest value per key and misses
// none that matters. The zero value is ready to use. The registry publishes
// its Changes through one; the web server its command results.
type Hub[T any] struct {
	mu      sync.Mutex
	subs    map[int]sink[T]
	next    int
	dropped atomic.Uint64
}

// sink is one subscriber. offer is called with the hub's lock held and
// reports false when the value was missed.
type sink[T any] interface {
	offer(v T) bool
	close()
}

// Subscribe returns a channel of published values and a cancel function that
// closes it; cancel is safe to call more than once.
func (h *Hub[T]) Subscribe(buffer int) (<-chan T, func()) { return h.SubscribeFunc(buffer, nil) }

// SubscribeFunc is Subscribe for the values keep accepts (every value when
// keep is nil): a subscriber that wants few of many values (a speaker's
// availability among a thousand lamps' states) then keeps its buffer for
// them. keep runs on the publisher's goroutine and must be quick.
func (h *Hub[T]) SubscribeFunc(buffer int, keep func(T) bool) (<-chan T, func()) {
	ch := make(chan T, buffer)
	return ch, h.add(chanSink[T]{ch: ch, keep: keep})
}

// SubscribeLatest returns a subscription that keeps, per key, the newest
// value not yet taken, and a cancel function. A subscriber that falls
// behind a burst (a thousand lamps switched at once) skips the values
// overtaken by newer ones of the same key but never misses a key's last:
// what a live view of the devices needs. It holds at most one value per key
// (and a bounded number of overtaken ones until they are compacted away).
func (h *Hub[T]) SubscribeLatest(key func(T) LatestKey) (*Latest[T], func()) {
	return h.SubscribeLatestFunc(key, nil)
}

// SubscribeLatestFunc is SubscribeLatest for the values keep accepts (every
// value when keep is nil); keep runs on the publisher's goroutine and must
// be quick.
func (h *Hub[T]) SubscribeLatestFunc(key func(T) LatestKey, keep func(T) bool) (*Latest[T], func()) {
	l := &Latest[T]{key: key, keep: keep, index: map[LatestKey]int{}, ready: make(chan struct{}, 1)}
	return l, h.add(l)
}

// add registers s and returns its cancel function.
func (h *Hub[T]) add(s sink[T]) func() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = map[int]sink[T]{}
	}
	id := h.next
	h.next++
	h.subs[id] = s
	var once sync.Once
	return func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.subs, id)
			h.mu.Unlock()
			s.close()
		})
	}
}

// Publish offers v to every subscriber.
func (h *Hub[T]) Publish(v T) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, s := range h.subs {
		if !s.offer(v) {
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

// chanSink is a channel subscriber.
type chanSink[T any] struct {
	ch   chan T
	keep func(T) bool
}

func (s chanSink[T]) offer(v T) bool {
	if s.keep != nil && !s.keep(v) {
		return true
	}
	select {
	case s.ch <- v:
		return true
	default:
		return false
	}
}

func (s chanSink[T]) close() { close(s.ch) }

// Latest is a subscription that keeps the newest value per key until it is
// taken (Hub.SubscribeLatest).
type Latest[T any] struct {
	key   func(T) LatestKey
	keep  func(T) bool // nil: every value
	ready chan struct{}

	mu    sync.Mutex
	queue []latestValue[T]  // in the order they came; overtaken ones are not live
	index map[LatestKey]int // a key's live value in queue
	taken []T               // what Take returned last, reused
}

// LatestKey is what a Latest keeps one value for: a device, and which of
// its changes (a device's state and its availability are separate).
type LatestKey struct{ ID, Part string }

// latestValue is a waiting value; it is not live once a newer value of
// its key came.
type latestValue[T any] struct {
	v    T
	live bool
}

func (l *Latest[T]) offer(v T) bool {
	if l.keep != nil && !l.keep(v) {
		return true
	}
	k := l.key(v)
	l.mu.Lock()
	if i, ok := l.index[k]; ok {
		l.queue[i] = latestValue[T]{} // overtaken: let it go
	}
	if len(l.queue) >= 2*len(l.index)+64 {
		l.compact()
	}
	l.index[k] = len(l.queue)
	l.queue = append(l.queue, latestValue[T]{v, true})
	l.mu.Unlock()
	select {
	case l.ready <- struct{}{}:
	default: // already signalled
	}
	return true
}

// compact drops overtaken values from the queue, so that it holds at most
// about twice as many values as keys. l.mu is held.
func (l *Latest[T]) compact() {
	live := l.queue[:0]
	for _, q := range l.queue {
		if q.live {
			l.index[l.key(q.v)] = len(live)
			live = append(live, q)
		}
	}
	clear(l.queue[len(live):])
	l.queue = live
}

func (l *Latest[T]) close() { close(l.ready) }

// Ready receives when values wait to be taken, and is closed when the
// subscription is cancelled.
func (l *Latest[T]) Ready() <-chan struct{} { return l.ready }

// Take returns the waiting values in the order they came, and forgets
// them. A value overtaken by a newer one of its key is gone and the newer
// one comes in its own turn, so the last value taken about something is
// always the newest published. The slice is the subscription's own: it is
// valid until the next Take.
func (l *Latest[T]) Take() []T {
	l.mu.Lock()
	defer l.mu.Unlock()
	if cap(l.taken) > maxKeptLatest { // a burst's room is not kept for a quiet time
		l.taken = nil
	} else {
		clear(l.taken)
		l.taken = l.taken[:0]
	}
	for _, q := range l.queue {
		if q.live {
			l.taken = append(l.taken, q.v)
		}
	}
	clear(l.queue)
	l.queue = l.queue[:0]
	clear(l.index)
	if cap(l.queue) > maxKeptLatest {
		l.queue = nil
	}
	return l.taken
}

// maxKeptLatest is the most values a Latest keeps room for between bursts.
const maxKeptLatest = 4096
