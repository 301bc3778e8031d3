package sim

import (
	"errors"
	"fmt"
)

// handSwitcher is firmware whose lamp can be switched by hand (a wall or
// cabinet switch, a button on the relay), which it reports like any change.
type handSwitcher interface {
	switchByHand(d *device, target string, on bool) error
}

// SwitchByHand switches the light id (or one output of a controller) on or
// off as a person at the pole or the cabinet would: not through the
// daemon, and reported by the firmware as a local change (Tasmota's
// stat/RESULT, Shelly's NotifyStatus with source "button", a native
// light's state). A disconnected device changes its output all the same
// and reports it when it is back. ESPHome lights and speakers refuse.
func (f *Fleet) SwitchByHand(id string, on bool) error {
	return f.do(&request{target: id, action: "switch by hand", byHand: &on})
}

// serveByHand runs a SwitchByHand request on the device's goroutine.
func (d *device) serveByHand(target string, on bool) error {
	hs, ok := d.fw.(handSwitcher)
	if !ok {
		return fmt.Errorf("a %s %s has no switch to turn by hand", d.m.Protocol, d.m.Kind)
	}
	d.log.Info("switched by hand", "target", target, "on", on)
	return hs.switchByHand(d, target, on)
}

func (t *tasmota) switchByHand(d *device, target string, on bool) error {
	i, ok := t.m.output(target)
	if !ok {
		return errors.New("no such output")
	}
	t.relays[i].setOn(on)
	t.result(d, i)
	return nil
}

func (s *shelly) switchByHand(d *device, target string, on bool) error {
	i, ok := s.m.output(target)
	if !ok {
		return errors.New("no such output")
	}
	w := &s.sw[i]
	changed := on != w.on
	w.on, w.source = on, "button"
	if changed {
		s.notify(d, object{{comp(i), object{{"id", i}, {"output", on}, {"source", "button"}}}})
	}
	return nil
}

func (l *nativeLight) switchByHand(d *device, _ string, on bool) error {
	l.on = on
	d.sendJSON(l.topic("state"), 1, true, l.state())
	return nil
}
