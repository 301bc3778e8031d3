package telemetry

import (
	"bytes"
	"sync"
	"time"
)

// batch is a run of encoded points and the acknowledgements of the inputs
// that produced them.
type batch struct {
	seq      uint64 // cut order; acknowledgements are released in this order
	data     []byte // line protocol, one point per line
	meta     recordMeta
	acks     []func()  // nil entries for inputs added without one
	deadline time.Time // when the flusher cuts it
}

// bufPool keeps the buffers of delivered batches for new batches, so that
// steady ingest neither allocates batch memory nor grows each buffer by
// copying. It keeps at most max buffers; a new one is made as large as the
// last buffer returned, which is about the size batches are cut at.
type bufPool struct {
	mu   sync.Mutex
	free [][]byte
	max  int
	last int
}

// get returns an empty buffer with room for at least n bytes.
func (p *bufPool) get(n int) []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.free) > 0 {
		b := p.free[len(p.free)-1]
		p.free = p.free[:len(p.free)-1]
		if cap(b) >= n {
			return b[:0]
		}
	}
	return make([]byte, 0, max(64<<10, n, p.last))
}

// put returns b for reuse; its contents are no longer needed.
func (p *bufPool) put(b []byte) {
	if cap(b) == 0 || cap(b) > 32<<20 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last = len(b) + len(b)/8
	if len(p.free) < p.max {
		p.free = append(p.free, b)
	}
}

// span is line protocol holding n points.
type span struct {
	data []byte
	n    int
}

// splitHalf splits s at the line boundary after its first n/2 points.
func splitHalf(s span) (span, span) {
	k := s.n / 2
	off := 0
	for range k {
		i := bytes.IndexByte(s.data[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
	}
	return span{s.data[:off], k}, span{s.data[off:], s.n - k}
}

// firstLine returns the first line of data without its newline, cut to 512 bytes.
func firstLine(data []byte) string {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		data = data[:i]
	}
	const limit = 512
	if len(data) > limit {
		return string(data[:limit]) + "…"
	}
	return string(data)
}

// sequencer calls the acknowledgements of batches in the order the batches
// were cut, whatever order they become durable in, so that the broker sees
// acknowledgements in the order it sent the messages.
type sequencer struct {
	mu      sync.Mutex
	next    uint64
	done    map[uint64][]func()
	pending func(delta float64) // the pending-acks gauge
}

// complete records that batch seq is finished; its acks are called (when
// call is true) once every earlier batch is finished too. A batch abandoned at
// shutdown completes with call false so that later batches are not held up.
func (q *sequencer) complete(seq uint64, acks []func(), call bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !call {
		q.pending(-float64(countAcks(acks)))
		acks = nil
	}
	q.done[seq] = acks
	for {
		acks, ok := q.done[q.next]
		if !ok {
			return
		}
		delete(q.done, q.next)
		q.next++
		for _, ack := range acks {
			if ack != nil {
				ack()
			}
		}
		q.pending(-float64(countAcks(acks)))
	}
}

func countAcks(acks []func()) int {
	n := 0
	for _, a := range acks {
		if a != nil {
			n++
		}
	}
	return n
}
