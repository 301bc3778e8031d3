package telemetry

import (
	"bytes"
	"strconv"
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"

	"github.com/hamlet-vn/hamlet/internal/clockguard"
)

// Clock says whether the wall clock can be trusted and corrects times read
// while it could not (clockguard.Guard).
type Clock interface {
	Plausible() bool
	Stamp() clockguard.Stamp
	Correction(clockguard.Stamp) (time.Duration, bool)
}

// heldLines is line protocol added while the clock was not plausible.
type heldLines struct {
	data []byte
	meta recordMeta
}

// hold keeps enc while the clock is not plausible and reports whether it
// did; once the clock is plausible it first releases what it held. A held
// input is acknowledged in order like any other (its points are in memory
// and have no knowable time should hamletd stop before the clock is
// plausible: they are then counted as unknown, never written).
func (w *Writer) hold(enc []byte, meta recordMeta, ack func()) bool {
	c := w.opts.Clock
	if c == nil {
		return false
	}
	if c.Plausible() {
		if w.holding.Load() {
			w.Release()
		}
		return false
	}
	if w.holding.CompareAndSwap(false, true) {
		w.log.Warn("clock not plausible: telemetry points are held in memory until it is, then written with corrected times",
			"max_bytes", w.opts.HoldMaxBytes)
	}
	if meta.points > 0 {
		if w.held.Add(c.Stamp(), heldLines{data: bytes.Clone(enc), meta: meta}, len(enc)) {
			w.m.clockHeld.Add(float64(meta.points))
		} else {
			w.m.clockLost.Add(float64(meta.points))
		}
	}
	w.addNow(nil, recordMeta{}, ack)
	return true
}

// AddExact is Add for points whose times were not read from this box's
// clock (a maintenance window a person declared): they are never held or
// moved while the clock is not plausible.
func (w *Writer) AddExact(points []*write.Point, ack func()) { w.addPoints(points, ack, true) }

// Release writes the points held while the clock was not plausible, each
// moved by the correction of its stamp, if the clock is plausible now. The
// daemon calls it when the clock guard finds the clock plausible again; add
// calls it too.
func (w *Writer) Release() {
	c := w.opts.Clock
	if c == nil || !c.Plausible() {
		return
	}
	w.holding.Store(false)
	items, lost, _ := w.held.Take()
	if len(items) == 0 && lost == 0 {
		return
	}
	var points, unknown int
	var shift time.Duration
	for _, it := range items {
		w.m.clockHeld.Sub(float64(it.Item.meta.points))
		d, ok := c.Correction(it.Stamp)
		if !ok { // the clock went wrong again meanwhile: hold it again
			w.holding.Store(true)
			if w.held.Add(it.Stamp, it.Item, len(it.Item.data)) {
				w.m.clockHeld.Add(float64(it.Item.meta.points))
			} else {
				unknown += it.Item.meta.points
			}
			continue
		}
		shift = d
		data, meta := shiftLines(it.Item.data, d)
		points += meta.points
		w.addNow(data, meta, nil)
	}
	w.m.clockLost.Add(float64(unknown))
	w.log.Info("clock plausible: held telemetry points written with corrected times",
		"points", points, "correction", shift.Round(time.Second).String())
	if lost > 0 || unknown > 0 {
		w.log.Warn("clock was not plausible: telemetry points with unknown times were not written",
			"inputs_lost", lost, "points_unknown", unknown, "metric", "hamlet_clock_unknown_points_total")
	}
}

// dropHeld counts what is still held as unknown, at Close while the clock is
// not plausible.
func (w *Writer) dropHeld() {
	if w.opts.Clock == nil {
		return
	}
	w.Release()
	items, lost, _ := w.held.Take()
	n := 0
	for _, it := range items {
		n += it.Item.meta.points
	}
	w.m.clockHeld.Sub(float64(n))
	w.m.clockLost.Add(float64(n))
	if n > 0 || lost > 0 {
		w.log.Warn("stopping before the clock was plausible: held telemetry points have unknown times and are not written",
			"points", n, "inputs_lost", lost, "metric", "hamlet_clock_unknown_points_total")
	}
}

// shiftLines returns the lines of data with every timestamp moved by d.
func shiftLines(data []byte, d time.Duration) ([]byte, recordMeta) {
	out := make([]byte, 0, len(data)+16)
	var meta recordMeta
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if len(line) == 0 {
			continue
		}
		sp := bytes.LastIndexByte(line, ' ')
		ns, err := strconv.ParseInt(string(line[sp+1:]), 10, 64)
		if sp < 0 || err != nil {
			continue // cannot happen: the encoder stamps every line
		}
		ns += int64(d)
		out = append(out, line[:sp+1]...)
		out = strconv.AppendInt(out, ns, 10)
		out = append(out, '\n')
		meta.merge(recordMeta{points: 1, minT: ns, maxT: ns})
	}
	return out, meta
}
