package uptime

import (
	"encoding/binary"
	"sync"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// DefaultCacheBytes bounds the month cache of a Service.
const DefaultCacheBytes = 8 << 20

// closedAfter is how long after a month's end its transitions are taken as
// final: transitions are recorded when the daemon sees them, so only a clock
// set back by more than this could add one to a closed month.
const closedAfter = time.Hour

// monthCache keeps, per device and closed UTC month, the month's transitions
// packed (about 7 bytes each), so that a report over a year reads the store
// only for the months at its edges. It is bounded: once full it stops
// adding, and reports still read the store for what it lacks.
type monthCache struct {
	mu    sync.Mutex
	limit int
	size  int
	m     map[monthKey][]byte
}

type monthKey struct {
	device string
	month  int64 // the month's start, Unix seconds
}

func newMonthCache(limit int) *monthCache {
	return &monthCache{limit: limit, m: map[monthKey][]byte{}}
}

func (c *monthCache) get(k monthKey) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[k]
	return b, ok
}

func (c *monthCache) put(k monthKey, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; ok || c.size+len(b)+64 > c.limit {
		return
	}
	c.m[k] = b
	c.size += len(b) + 64
}

// Bytes returns the cache's approximate size.
func (c *monthCache) bytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

// causes are the causes packed as one byte; others are spelled out.
var causes = []devices.Cause{"", devices.CauseLWT, devices.CauseTimeout, devices.CauseFrigate,
	devices.CauseDaemonStart, devices.CauseActivity, devices.CauseLinkDown}

var states = []devices.Availability{devices.Unknown, devices.Online, devices.Offline}

const spelled = 0xff

// pack appends ts (in time order, all at or after start) to dst.
func pack(dst []byte, start time.Time, ts []Transition) []byte {
	prev := start.UnixNano()
	for _, t := range ts {
		ns := t.At.UnixNano()
		dst = binary.AppendUvarint(dst, uint64(ns-prev))
		prev = ns
		dst = appendCode(dst, string(t.State), func(i int) string { return string(states[i]) }, len(states))
		dst = appendCode(dst, string(t.Cause), func(i int) string { return string(causes[i]) }, len(causes))
	}
	return dst
}

func appendCode(dst []byte, s string, at func(int) string, n int) []byte {
	for i := range n {
		if at(i) == s {
			return append(dst, byte(i))
		}
	}
	dst = append(dst, spelled)
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// unpack calls fn with each transition packed in b after start.
func unpack(b []byte, start time.Time, fn func(Transition) error) error {
	prev := start.UnixNano()
	for len(b) > 0 {
		d, n := binary.Uvarint(b)
		b = b[n:]
		prev += int64(d)
		var t Transition
		t.At = time.Unix(0, prev).UTC()
		var s string
		s, b = readCode(b, func(i int) string { return string(states[i]) })
		t.State = devices.Availability(s)
		s, b = readCode(b, func(i int) string { return string(causes[i]) })
		t.Cause = devices.Cause(s)
		if err := fn(t); err != nil {
			return err
		}
	}
	return nil
}

func readCode(b []byte, at func(int) string) (string, []byte) {
	if b[0] != spelled {
		return at(int(b[0])), b[1:]
	}
	l, n := binary.Uvarint(b[1:])
	b = b[1+n:]
	return string(b[:l]), b[l:]
}

// months splits [from, to) at UTC month starts: the closed whole months
// inside it (those that ended closedAfter before now) and what remains
// before and after them.
func months(from, to, now time.Time) (head Interval, whole []time.Time, tail Interval) {
	first := monthStart(from)
	if first.Before(from) {
		first = first.AddDate(0, 1, 0)
	}
	m := first
	for ; !m.AddDate(0, 1, 0).After(to) && !m.AddDate(0, 1, 0).Add(closedAfter).After(now); m = m.AddDate(0, 1, 0) {
		whole = append(whole, m)
	}
	if len(whole) == 0 {
		return Interval{from, to}, nil, Interval{to, to}
	}
	return Interval{from, first}, whole, Interval{m, to}
}

func monthStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}
