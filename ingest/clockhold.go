package ingest

import (
	"slices"
	"sync"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/clockguard"
)

// MaxHeldTransitions bounds the availability transitions held while the wall
// clock is not plausible. Beyond it the rest of the episode is recorded as
// unknown for every device.
const MaxHeldTransitions = 100_000

// clockHold holds availability transitions while the wall clock is not
// plausible: their times are wrong and must not reach the store (uptime).
type clockHold struct {
	held    clockguard.Hold[[]devices.Transition]
	release sync.Mutex // one release at a time, so the store sees them in order
	holding bool       // guarded by release: an episode is being held
	warned  bool       // guarded by release: the episode was logged
}

// unsure reports whether the wall clock is known not to be plausible now.
func (p *Pipeline) unsure() bool { return p.opts.Clock != nil && !p.opts.Clock.Plausible() }

// holdTransitions keeps ts, stamped, while the clock is not plausible and
// reports whether it did; once the clock is plausible it first releases what
// was held, so that the store receives transitions in time order.
func (p *Pipeline) holdTransitions(ts []devices.Transition) bool {
	c := p.opts.Clock
	if c == nil {
		return false
	}
	h := &p.hold
	h.release.Lock()
	defer h.release.Unlock()
	if c.Plausible() {
		if h.holding {
			p.releaseLocked()
		}
		return false
	}
	h.holding = true
	if !h.warned {
		h.warned = true
		p.log.Warn("clock not plausible: availability transitions are held until it is, then recorded with corrected times",
			"max", MaxHeldTransitions)
	}
	if h.held.Add(c.Stamp(), slices.Clone(ts), len(ts)) {
		p.m.clockHeld.Add(float64(len(ts)))
	} else {
		p.m.clockLost.Add(float64(len(ts)))
	}
	return true
}

// ReleaseHeld records the availability transitions held while the clock was
// not plausible, their times corrected, once it is plausible. When the hold
// overflowed, every device is recorded unknown (cause "clock") from the first
// transition that was not kept until now. The daemon calls it when the
// clock guard finds the clock plausible again; Handle and Record call it too.
func (p *Pipeline) ReleaseHeld() {
	if p.opts.Clock == nil || !p.opts.Clock.Plausible() {
		return
	}
	p.hold.release.Lock()
	defer p.hold.release.Unlock()
	p.releaseLocked()
}

// releaseLocked is ReleaseHeld with p.hold.release held.
func (p *Pipeline) releaseLocked() {
	c, h := p.opts.Clock, &p.hold
	h.holding, h.warned = false, false
	items, lost, firstLost := h.held.Take()
	if len(items) == 0 && lost == 0 {
		return
	}
	var out []devices.Transition
	var shift time.Duration
	for i, it := range items {
		d, ok := c.Correction(it.Stamp)
		if !ok { // the clock went wrong again meanwhile: hold the rest again
			for _, rest := range items[i:] {
				p.m.clockHeld.Sub(float64(len(rest.Item)))
				if h.held.Add(rest.Stamp, rest.Item, len(rest.Item)) {
					p.m.clockHeld.Add(float64(len(rest.Item)))
				} else {
					p.m.clockLost.Add(float64(len(rest.Item)))
				}
			}
			h.holding = true
			break
		}
		p.m.clockHeld.Sub(float64(len(it.Item)))
		shift = d
		for _, t := range it.Item {
			t.At = t.At.Add(d)
			out = append(out, t)
		}
	}
	if len(out) > 0 {
		p.storeTransitions(out)
	}
	p.log.Info("clock plausible: held availability transitions recorded with corrected times",
		"transitions", len(out), "correction", shift.Round(time.Second).String())
	if lost == 0 {
		return
	}
	d, ok := c.Correction(firstLost)
	if !ok {
		p.log.Warn("clock was not plausible: availability transitions with unknown times were not recorded",
			"metric", "hamlet_clock_unknown_transitions_total")
		return
	}
	from, now := firstLost.Wall.Add(d), c.Stamp().Wall
	var unknown []devices.Transition
	for _, s := range p.opts.Registry.List(devices.Filter{}) {
		unknown = append(unknown,
			devices.Transition{Device: s.Device, From: s.Availability, To: devices.Unknown, Cause: devices.CauseClock, At: from},
			devices.Transition{Device: s.Device, From: devices.Unknown, To: s.Availability, Cause: devices.CauseClock, At: now})
	}
	p.log.Warn("clock was not plausible: availability between these times is unknown for every device (the hold was full)",
		"from", from, "to", now, "metric", "hamlet_clock_unknown_transitions_total")
	p.storeTransitions(unknown)
	p.export(unknown)
}

// DropHeld ends the hold when hamletd stops: what is still held has no
// knowable time, so it is counted as unknown and logged, never recorded
// (the daemon records its run as covering nothing, so reports show the
// time as unknown). If the clock is plausible by now, it releases instead.
func (p *Pipeline) DropHeld() {
	if p.opts.Clock == nil {
		return
	}
	p.ReleaseHeld()
	p.hold.release.Lock()
	defer p.hold.release.Unlock()
	items, lost, _ := p.hold.held.Take()
	n := 0
	for _, it := range items {
		n += len(it.Item)
	}
	p.m.clockHeld.Sub(float64(n))
	p.m.clockLost.Add(float64(n))
	if n+lost > 0 {
		p.log.Warn("stopping before the clock was plausible: held availability transitions have unknown times and are not recorded",
			"transitions", n+lost, "metric", "hamlet_clock_unknown_transitions_total")
	}
}

// withoutDeviceTimes returns r without its device timestamps: while the wall
// clock is not plausible they cannot be checked against it, so the receive
// time (corrected later with the rest) is used.
func withoutDeviceTimes(r devices.Report) devices.Report {
	r.Time, r.TimeLocal = time.Time{}, false
	if len(r.Events) > 0 {
		r.Events = slices.Clone(r.Events)
		for i := range r.Events {
			r.Events[i].Time = time.Time{}
		}
	}
	return r
}
