package clockguard

import (
	"sync"
	"time"
)

// Stamp is a reading of the wall clock and the monotonic clock taken
// together, kept with something stamped by a wall clock that may be wrong.
type Stamp struct {
	Wall time.Time
	Mono time.Duration
}

// Stamp reads both clocks.
func (g *Guard) Stamp() Stamp { return Stamp{Wall: g.wall(), Mono: g.mono()} }

// Correction returns how far a wall-clock time read when s was taken must be
// moved to be true, and true; or false while the clock is not plausible.
// The true time of s is the plausible wall time now minus the monotonic time
// elapsed since s: the correction is (wall now − wall at s) − (mono now −
// mono at s), exact however far NTP stepped the clock meanwhile.
func (g *Guard) Correction(s Stamp) (time.Duration, bool) {
	if !g.Plausible() {
		return 0, false
	}
	now := g.Stamp()
	return now.Wall.Sub(s.Wall) - (now.Mono - s.Mono), true
}

// Held is one item a Hold keeps, with the stamp taken when it was held.
type Held[T any] struct {
	Stamp Stamp
	Item  T
	size  int
}

// Hold keeps, in memory and bounded, items stamped while the clock was not
// plausible, until the clock is plausible and they can be re-stamped (see
// Guard.Correction). Once Max size units are held, further items are not
// kept but counted as lost, with the stamp of the first lost one. It is safe
// for concurrent use; the zero value with Max set is ready.
type Hold[T any] struct {
	Max int // bound, in the size units the caller gives Add

	mu        sync.Mutex
	items     []Held[T]
	size      int
	lost      int
	firstLost Stamp
}

// Add keeps item, stamped s and weighing size, and reports whether it was
// kept (false: the bound is reached; the item is counted as lost).
func (h *Hold[T]) Add(s Stamp, item T, size int) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.lost > 0 || h.size+size > h.Max {
		if h.lost == 0 {
			h.firstLost = s
		}
		h.lost++
		return false
	}
	h.items = append(h.items, Held[T]{Stamp: s, Item: item, size: size})
	h.size += size
	return true
}

// Len returns how many items are held and how many were lost since the last Take.
func (h *Hold[T]) Len() (held, lost int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.items), h.lost
}

// Take empties h and returns what it held, oldest first, how many items it
// lost and the stamp of the first lost one.
func (h *Hold[T]) Take() (items []Held[T], lost int, firstLost Stamp) {
	h.mu.Lock()
	defer h.mu.Unlock()
	items, lost, firstLost = h.items, h.lost, h.firstLost
	h.items, h.size, h.lost, h.firstLost = nil, 0, 0, Stamp{}
	return items, lost, firstLost
}
