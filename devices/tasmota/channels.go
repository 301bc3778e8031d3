package tasmota

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/jsonfield"
)

// msg collects what one message says: about the device as a whole (the
// embedded Report: time, Wi-Fi and system metrics, availability) and about
// each relay (POWERn, Dimmern, the n-th value of an ENERGY array).
type msg struct {
	devices.Report
	relays []relay // in relay order
}

// relay is what a message says about relay n (1–32).
type relay struct {
	n       int
	light   devices.LightState
	metrics map[string]float64
}

// relay returns the entry of relay n, adding it.
func (m *msg) relay(n int) *relay {
	for i := range m.relays {
		if m.relays[i].n == n {
			return &m.relays[i]
		}
	}
	i := len(m.relays)
	for i > 0 && m.relays[i-1].n > n {
		i--
	}
	m.relays = append(m.relays, relay{})
	copy(m.relays[i+1:], m.relays[i:])
	m.relays[i] = relay{n: n}
	return &m.relays[i]
}

// hasLight reports whether any relay's light state was read.
func (m *msg) hasLight() bool {
	for _, r := range m.relays {
		if r.light != (devices.LightState{}) {
			return true
		}
	}
	return false
}

// reports returns one report per relay (Channel "n"; relay 1 is Primary)
// carrying the message's time. The device-wide part goes with relay 1 when
// the message speaks of it, else in a report without a channel.
func (m *msg) reports() []devices.Report {
	base := m.Report
	out := make([]devices.Report, 0, len(m.relays)+1)
	merged := false
	for _, r := range m.relays {
		rep := devices.Report{Protocol: base.Protocol, Key: base.Key, Channel: strconv.Itoa(r.n), Primary: r.n == 1,
			Time: base.Time, TimeLocal: base.TimeLocal, Metrics: r.metrics}
		if r.light != (devices.LightState{}) {
			l := r.light
			rep.Light = &l
		}
		if r.n == 1 {
			rep.Availability, rep.Events, rep.Ack, rep.Kind = base.Availability, base.Events, base.Ack, base.Kind
			for k, v := range base.Metrics {
				if rep.Metrics == nil {
					rep.Metrics = make(map[string]float64, len(base.Metrics))
				}
				rep.Metrics[k] = v
			}
			merged = true
		}
		out = append(out, rep)
	}
	if !merged && (base.Metrics != nil || base.Availability != "" || base.Light != nil || len(out) == 0) {
		out = append([]devices.Report{base}, out...)
	}
	return out
}

// lightKey reads a relay's light key: POWER and Dimmer are relay 1, POWERn
// and Dimmern (SetOption37 ≥ 128, n 1–32) relay n.
func lightKey(k string) (n int, power, ok bool) {
	var digits string
	switch {
	case strings.HasPrefix(k, "POWER"):
		power, digits = true, k[len("POWER"):]
	case strings.HasPrefix(k, "Dimmer"):
		digits = k[len("Dimmer"):]
	default:
		return 0, false, false
	}
	if digits == "" {
		return 1, power, true
	}
	if len(digits) > 2 || digits[0] == '0' {
		return 0, false, false
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 1 || n > 32 {
		return 0, false, false
	}
	return n, power, true
}

// readLights reads every relay's POWERn ("ON"/"OFF", the StateTexts, 1/0)
// and Dimmern (0–100) from o.
func readLights(m *msg, d device, o jsonfield.Object) *devices.DecodeError {
	var err *devices.DecodeError
	o.Each(func(k string, raw json.RawMessage) {
		if err != nil {
			return
		}
		n, power, ok := lightKey(k)
		if !ok {
			return
		}
		if !power {
			v, has, e := o.NumberIn(k, 0, 100)
			if e != nil || !has {
				err = e
				return
			}
			m.relay(n).light.Brightness = devices.Int(int(v + 0.5))
			return
		}
		var on, valid bool
		switch string(raw) {
		case "0", "1":
			on, valid = raw[0] == '1', true
		default:
			if s, isStr, _ := o.String(k); isStr {
				on, valid = powerText(d, s)
			}
		}
		if !valid {
			err = o.WrongType(k, `"ON" or "OFF"`)
			return
		}
		m.relay(n).light.On = devices.Bool(on)
	})
	return err
}
