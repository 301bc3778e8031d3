package telemetry

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// read returns the oldest unreplayed records, at least one record and then
// as many as fit in maxPoints and maxBytes, without consuming them: call
// commit once they are written. The chunk has no points when the spool is
// empty. A damaged record ends its segment: the points from it on are counted
// as dropped and logged, and reading goes on with the next segment.
func (s *spool) read(maxPoints, maxBytes int) (chunk, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if s.closed {
			return chunk{}, errSpoolClosed
		}
		if len(s.segs) == 0 {
			return chunk{}, nil
		}
		h := s.segs[0]
		if s.head >= h.size {
			if s.isActive(h) {
				return chunk{}, nil
			}
			s.removeHead()
			continue
		}
		if err := s.openReader(h); err != nil {
			return chunk{}, err
		}
		c := chunk{seg: h.id, start: s.head, end: s.head}
		for c.end < h.size {
			if c.meta.points > 0 {
				n, _, m, err := readHeader(s.reader, c.end, h.size)
				if err == nil && (c.meta.points+m.points > maxPoints || len(c.data)+int(n) > maxBytes) {
					break
				}
			}
			data, m, next, err := readRecord(s.reader, c.end, h.size, c.data)
			if errors.Is(err, errCorrupt) {
				s.damaged(h, c.end, c.meta.points, err)
				break
			}
			if err != nil {
				return chunk{}, err
			}
			c.data, c.end = data, next
			c.meta.merge(m)
		}
		if c.end > c.start {
			return c, nil
		}
	}
}

// openReader makes s.reader read segment h.
func (s *spool) openReader(h *segment) error {
	if s.reader != nil && s.readerID == h.id {
		return nil
	}
	if s.reader != nil {
		_ = s.reader.Close()
		s.reader = nil
	}
	f, err := os.Open(s.path(h.id))
	if err != nil {
		return fmt.Errorf("open spool segment for replay: %w", err)
	}
	s.reader, s.readerID = f, h.id
	return nil
}

// damaged ends segment h at off, where a record is corrupt; read points of
// it after the head were read before the damage.
func (s *spool) damaged(h *segment, off int64, read int, err error) {
	lost := h.meta.points - s.headPoints - read
	s.log.Error("spool: record damaged; the rest of its segment is lost",
		"segment", s.path(h.id), "offset", off, "points", lost,
		"from", time.Unix(0, h.meta.minT).UTC(), "to", time.Unix(0, h.meta.maxT).UTC(), "error", err)
	if lost > 0 {
		s.m.dropped.WithLabelValues(dropSpoolCorrupt).Add(float64(lost))
	}
	h.meta.points = s.headPoints + read
	s.bytes -= h.size - off
	h.size = off
	if s.isActive(h) {
		_ = s.active.Close()
		s.active = nil
	}
	s.gauges()
}

// commit consumes chunk c once its points are written. It does nothing when
// c's segment was dropped meanwhile.
func (s *spool) commit(c chunk) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || len(s.segs) == 0 || s.segs[0].id != c.seg || s.head != c.start {
		return
	}
	s.head = c.end
	s.headPoints += c.meta.points
	if h := s.segs[0]; s.head >= h.size {
		if s.isActive(h) {
			_ = s.active.Close()
			s.active = nil
		}
		s.removeHead()
	}
}
