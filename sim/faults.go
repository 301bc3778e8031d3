package sim

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"
)

// DropWithWill cuts the device's TCP connection without a DISCONNECT, as a
// power cut does, so the broker publishes its Last Will. The device stays
// offline until Restore. For a Frigate camera the stream fails instead:
// Frigate reports the camera's detect status offline and 0 fps; for the
// Frigate instance (Spec.FrigateID) its connection is cut.
func (f *Fleet) DropWithWill(id string) error {
	return f.do(&request{target: id, action: FaultDropWithWill})
}

// DropSilently disconnects the device cleanly, so the broker discards its
// will, and keeps it silent until Restore: its retained "online" stays, and
// only the daemon's inactivity timeout can notice. For a Frigate camera the
// stream stops without any status message (0 fps in the stats).
func (f *Fleet) DropSilently(id string) error {
	return f.do(&request{target: id, action: FaultDropSilently})
}

// Restore reconnects a dropped device, which republishes its birth messages
// and state like firmware after a reboot. It returns the error of the first
// attempt; after an error the device keeps trying. Restoring a connected
// device does nothing.
func (f *Fleet) Restore(id string) error {
	return f.do(&request{target: id, action: FaultRestore})
}

// Flap drops the device with its will and restores it n times, interval
// (real time) apart, ending online. It returns at once; another fault on
// the device stops the flapping.
func (f *Fleet) Flap(id string, n int, interval time.Duration) error {
	if n <= 0 || interval <= 0 {
		return errors.New("sim: flap: n and interval must be positive")
	}
	return f.do(&request{target: id, action: FaultFlap, count: n, interval: interval})
}

// SendGarbage publishes, not retained, malformed payloads on the device's
// own topics: truncated JSON, wrong types (such as {"Dimmer":"abc"}), an
// empty payload, binary bytes and a 1 MiB payload.
func (f *Fleet) SendGarbage(id string) error {
	return f.do(&request{target: id, action: FaultGarbage})
}

// inject applies a fault action; Count and Interval are for flaps.
func (f *Fleet) inject(id string, a FaultAction, count int, interval time.Duration) error {
	switch a {
	case FaultDropWithWill:
		return f.DropWithWill(id)
	case FaultDropSilently:
		return f.DropSilently(id)
	case FaultRestore:
		return f.Restore(id)
	case FaultFlap:
		return f.Flap(id, count, interval)
	default:
		return f.SendGarbage(id)
	}
}

// serve runs a request on the device's goroutine.
func (d *device) serve(r *request) error {
	if r.action == "" {
		*r.status = Status{ID: r.target, Protocol: d.m.Protocol, Kind: d.m.Kind, Connected: d.sess != nil}
		d.fw.status(r.target, r.status)
		return nil
	}
	if r.byHand != nil {
		return d.serveByHand(r.target, *r.byHand)
	}
	d.log.Info("fault injected", "fault", string(r.action), "target", r.target)
	d.flapGen++ // any fault stops a flap in progress
	if r.action == FaultFlap {
		if d.sess == nil {
			return ErrNotConnected
		}
		d.flap(r.target, d.flapGen, r.count, r.interval)
		return nil
	}
	return d.inject(r.target, r.action)
}

// inject applies one fault to target, the device itself or one of its cameras.
func (d *device) inject(target string, a FaultAction) error {
	if st, ok := d.fw.(subTargets); ok && target != d.m.ID {
		return st.fault(d, target, a)
	}
	switch a {
	case FaultDropWithWill, FaultDropSilently:
		if d.sess == nil {
			return ErrNotConnected
		}
		d.up = false
		d.stopRetry()
		s := d.sess
		d.sess = nil
		if a == FaultDropWithWill {
			s.kill()
		} else {
			s.disconnect()
		}
		return nil
	case FaultRestore:
		d.up = true
		if d.sess != nil {
			return nil
		}
		if err := d.connect(d.ctx); err != nil {
			d.scheduleRetry()
			return err
		}
		return nil
	case FaultGarbage:
		if d.sess == nil {
			return ErrNotConnected
		}
		for _, m := range d.fw.garbage(d, target) {
			d.publish(m)
		}
		return nil
	}
	return errors.New("unknown fault " + string(a))
}

// flap runs the n remaining drop/restore cycles unless a newer fault
// (another generation) came in between.
func (d *device) flap(target string, gen, n int, every time.Duration) {
	if gen != d.flapGen || n <= 0 {
		return
	}
	if err := d.inject(target, FaultDropWithWill); err != nil {
		d.log.Warn("flap: drop failed", "target", target, "err", err)
	}
	d.after(every, func() {
		if gen != d.flapGen {
			return
		}
		if err := d.inject(target, FaultRestore); err != nil {
			d.log.Warn("flap: restore failed", "target", target, "err", err)
		}
		d.after(every, func() { d.flap(target, gen, n-1, every) })
	})
}

// garbageSet returns the usual malformed payloads for a device, none
// retained: truncated JSON, bytes that are not text and 1 MiB on jsonTopic,
// wrongTypes (valid JSON with fields of the wrong type) on wrongTopic, and an
// empty payload on emptyTopic.
func garbageSet(jsonTopic, wrongTopic, wrongTypes, emptyTopic string) []message {
	big := make([]byte, 0, 1<<20)
	big = append(big, `{"pad":"`...)
	big = append(big, strings.Repeat("x", 1<<20-len(big)-2)...)
	big = append(big, `"}`...)
	return []message{
		{topic: jsonTopic, qos: 1, payload: []byte(`{"POWER":"ON","ENERGY":{"Power":`)},
		{topic: wrongTopic, qos: 1, payload: []byte(wrongTypes)},
		{topic: emptyTopic, qos: 1, payload: nil},
		{topic: jsonTopic, qos: 1, payload: []byte{0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0xfe, 0x80}},
		{topic: jsonTopic, qos: 1, payload: big},
	}
}

// runSchedule injects Spec.Faults at their times after the start.
func (f *Fleet) runSchedule(ctx context.Context) error {
	faults := slices.Clone(f.env.spec.Faults)
	sort.SliceStable(faults, func(i, j int) bool { return faults[i].At < faults[j].At })
	for _, ft := range faults {
		due := f.startAt.Add(f.env.real(ft.At))
		if !sleepUntil(ctx, f.env.now, due) {
			return nil
		}
		n, every := ft.Count, ft.Interval
		if n == 0 {
			n = 3
		}
		if every == 0 {
			every = 10 * time.Second
		}
		if err := f.inject(ft.Device, ft.Action, n, f.env.real(every)); err != nil {
			f.env.log.Warn("scheduled fault failed", "device", ft.Device, "fault", string(ft.Action), "err", err)
		}
	}
	return nil
}

// runChaos injects a random fault, or restores a device it dropped, about
// every interval (±30 %).
func (f *Fleet) runChaos(ctx context.Context, every time.Duration) error {
	rnd := rand.New(rand.NewPCG(uint64(f.env.spec.Seed), 0xc4a05))
	targets := make([]string, 0, len(f.targets))
	for id := range f.targets {
		targets = append(targets, id)
	}
	sort.Strings(targets)
	var down []string
	for {
		wait := time.Duration(float64(every) * (0.7 + 0.6*rnd.Float64()))
		if !sleepUntil(ctx, f.env.now, f.env.now().Add(wait)) {
			return nil
		}
		var id string
		var a FaultAction
		if len(down) > 0 && (rnd.Float64() < 0.5 || len(down) >= max(1, len(targets)/4)) {
			i := rnd.IntN(len(down))
			id, a = down[i], FaultRestore
			down = slices.Delete(down, i, i+1)
		} else {
			up := slices.DeleteFunc(slices.Clone(targets), func(t string) bool { return slices.Contains(down, t) })
			if len(up) == 0 {
				continue
			}
			id = up[rnd.IntN(len(up))]
			switch x := rnd.Float64(); {
			case x < 0.35:
				a = FaultDropWithWill
			case x < 0.6:
				a = FaultDropSilently
			case x < 0.85:
				a = FaultGarbage
			default:
				a = FaultFlap
			}
			if a == FaultDropWithWill || a == FaultDropSilently {
				down = append(down, id)
			}
		}
		if err := f.inject(id, a, 2, every/6); err != nil {
			f.env.log.Warn("chaos fault failed", "device", id, "fault", string(a), "err", err)
		}
	}
}

// sleepUntil waits until the clock passes due and reports false if ctx ended first.
func sleepUntil(ctx context.Context, now func() time.Time, due time.Time) bool {
	t := time.NewTimer(max(due.Sub(now()), 0))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
