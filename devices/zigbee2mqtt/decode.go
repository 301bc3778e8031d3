package zigbee2mqtt

import (
	"encoding/json"
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/jsonfield"
)

// Decode turns one Zigbee2MQTT message into reports:
//   - bridge/state ({"state":"online"} or the legacy plain string): an
//     availability with AvailabilityAll set and an empty Key, for every device
//     behind the bridge: when the bridge is offline none of them can be
//     reached, and when it is back the devices' own retained availability (if
//     Zigbee2MQTT's availability feature is on) follows at once and corrects
//     any that are still down;
//   - <name>/availability: the device's availability; an empty (retained)
//     payload, published when a device is renamed, is ignored;
//   - <name>: device state JSON, see decodeState.
//
// Other bridge topics (log, logging, info, devices, …) and commands (…/set,
// …/get) are ReasonIgnored with the reason.
func (a *Adapter) Decode(topic string, payload []byte, retained bool) ([]devices.Report, error) {
	kind, name := a.classify(topic)
	switch kind {
	case kindUnknown:
		return nil, devices.Errorf(devices.ReasonUnknownTopic, "topic %s is not %s/<name>[/availability]", devices.Quote(topic), a.base)
	case kindCommand:
		return nil, devices.Errorf(devices.ReasonIgnored, "command topic (commands to %s)", devices.Quote(name))
	case kindBridgeOther:
		return nil, devices.Errorf(devices.ReasonIgnored, "bridge topic %s is not device state", name)
	}
	if err := devices.CheckText(payload); err != nil {
		return nil, err
	}
	r := devices.Report{Protocol: devices.Zigbee2MQTT, Key: name}
	var err *devices.DecodeError
	switch kind {
	case kindBridgeState:
		r.AvailabilityAll = true
		if len(payload) == 0 {
			return nil, devices.Errorf(devices.ReasonIgnored, "empty bridge state (a retained state was cleared)")
		}
		r.Availability, err = availability(payload, "bridge/state")
	case kindAvailability:
		if len(payload) == 0 {
			return nil, devices.Errorf(devices.ReasonIgnored, "empty availability of %s (cleared when a device is renamed or removed)", devices.Quote(name))
		}
		r.Availability, err = availability(payload, name+"/availability")
	default:
		reps, err := decodeDevice(r, payload)
		if err != nil {
			return nil, err
		}
		return reps, nil
	}
	if err != nil {
		return nil, err
	}
	return []devices.Report{r}, nil
}

// availability reads {"state":"online"|"offline"} or the legacy plain strings.
func availability(payload []byte, what string) (devices.Availability, *devices.DecodeError) {
	s := strings.TrimSpace(string(payload))
	if strings.HasPrefix(s, "{") {
		o, err := jsonfield.Parse(payload)
		if err != nil {
			return "", err
		}
		v, ok, err := o.String("state")
		if err != nil {
			return "", err
		}
		if !ok {
			return "", devices.Errorf(devices.ReasonMissingField, `%s: "state" is missing`, what)
		}
		s = v
	}
	switch s {
	case "online":
		return devices.Online, nil
	case "offline":
		return devices.Offline, nil
	}
	return "", devices.Errorf(devices.ReasonWrongType, `%s: want "online" or "offline", got %s`, what, devices.Quote(s))
}

// metricKeys maps Zigbee2MQTT state keys to metric names.
var metricKeys = []struct{ key, metric string }{
	{"power", "power_w"}, {"energy", "energy_kwh"}, {"voltage", "voltage_v"}, {"current", "current_a"},
	{"linkquality", "linkquality"}, {"temperature", "temperature_c"}, {"humidity", "humidity_pct"},
	{"battery", "battery_pct"}, {"illuminance_lux", "illuminance_lux"},
}

// decodeDevice reads device state: one report per endpoint of a
// multi-endpoint device (state_<ep>, brightness_<ep> and the metrics with
// the _<ep> suffix, on Channel "<ep>"), then the device's own report (plain
// state and brightness, metrics, action), when it carries anything or when
// there is no endpoint. The endpoints come first so that, for a device
// first heard, the device's metrics go to its first endpoint rather than
// making a device of their own.
func decodeDevice(base devices.Report, payload []byte) ([]devices.Report, *devices.DecodeError) {
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return nil, err
	}
	o.Lax = true
	var out []devices.Report
	for _, ep := range endpoints(o) {
		r := devices.Report{Protocol: base.Protocol, Key: base.Key, Channel: ep}
		if err := readState(&r, o, "_"+ep); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := readState(&base, o, ""); err != nil {
		return nil, err
	}
	if action, ok, err := o.String("action"); err != nil {
		return nil, err
	} else if ok && action != "" {
		base.Events = []devices.Event{{Type: "button", Ref: action}}
	}
	if base.Light != nil || base.Metrics != nil || base.Events != nil || len(out) == 0 {
		out = append(out, base)
	}
	if len(out) == 1 && out[0].Light == nil && out[0].Metrics == nil && out[0].Events == nil {
		return nil, devices.Errorf(devices.ReasonIgnored, "state carries nothing hamlet reads (keys: %s)", strings.Join(o.Keys(), ", "))
	}
	return out, nil
}

// endpoints returns the endpoint names of a multi-endpoint device, from its
// state_<ep> keys (state_l1, state_left, ...), in key order.
func endpoints(o jsonfield.Object) []string {
	var eps []string
	o.Each(func(k string, _ json.RawMessage) {
		if ep, ok := strings.CutPrefix(k, "state_"); ok && devices.CheckChannel(devices.Zigbee2MQTT, ep) == nil {
			eps = append(eps, ep)
		}
	})
	return eps
}

// readState reads state ON/OFF and brightness 0–254 (scaled to 0–100) as
// the light state and the metrics of metricKeys, each key with suffix
// ("" for the device, "_l2" for endpoint l2). Numbers may be numeric
// strings, as Zigbee2MQTT accepts them.
func readState(r *devices.Report, o jsonfield.Object, suffix string) *devices.DecodeError {
	var l devices.LightState
	if s, ok, err := o.String("state" + suffix); err != nil {
		return err
	} else if ok {
		switch strings.ToUpper(s) {
		case "ON":
			l.On = devices.Bool(true)
		case "OFF":
			l.On = devices.Bool(false)
		default:
			return o.WrongType("state"+suffix, `"ON" or "OFF"`)
		}
	}
	if v, ok, err := o.NumberIn("brightness"+suffix, 0, 254); err != nil {
		return err
	} else if ok {
		p, _ := devices.Percent(v, 254)
		l.Brightness = &p
	}
	if l != (devices.LightState{}) {
		r.Light = &l
	}
	m := map[string]float64{}
	for _, f := range metricKeys {
		v, ok, err := o.Number(f.key + suffix)
		if err != nil {
			return err
		}
		if ok {
			m[f.metric] = v
		}
	}
	if len(m) > 0 {
		r.Metrics = m
	}
	return nil
}
