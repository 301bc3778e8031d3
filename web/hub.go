package web

import "sync"

// hub fans values out to subscribers without blocking the publisher: a
// subscriber whose buffer is full misses the value. The zero value is ready.
type hub[T any] struct {
	mu   sync.Mutex
	subs map[int]chan T
	next int
}

// subscribe returns a channel of published values and a cancel function
// that closes it; cancel is safe to call more than once.
func (h *hub[T]) subscribe(buffer int) (<-chan T, func()) {
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

// publish offers v to every subscriber.
func (h *hub[T]) publish(v T) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ch := range h.subs {
		select {
		case ch <- v:
		default:
		}
	}
}
