package shelly

import (
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/jsonfield"
)

// announce decodes shellies/announce: {"id","model","mac","ip","fw_ver",...}.
// The device's key is shellies/<id>.
func (a *Adapter) announce(payload []byte) ([]devices.Report, *devices.DecodeError) {
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return nil, err
	}
	id, ok, err := o.String("id")
	if err != nil {
		return nil, err
	}
	if !ok || id == "" || strings.ContainsAny(id, "/+#") {
		return nil, devices.Errorf(devices.ReasonMissingField, "shellies/announce: %q missing or not a single topic level", "id")
	}
	d := &devices.Discovery{ID: id, Name: id, Topic: "shellies/" + id, Extra: map[string]string{}}
	for _, f := range []struct {
		key string
		dst *string
	}{{"model", &d.Model}, {"fw_ver", &d.Firmware}} {
		if *f.dst, _, err = o.String(f.key); err != nil {
			return nil, err
		}
	}
	for _, k := range []string{"mac", "ip"} {
		v, _, err := o.String(k)
		if err != nil {
			return nil, err
		}
		if v != "" {
			d.Extra[k] = v
		}
	}
	if len(d.Extra) == 0 {
		d.Extra = nil
	}
	a.mu.Lock()
	a.learn(d.Topic, id, true, false)
	found := a.learnOutputs(d.Topic, &msg{Report: devices.Report{Protocol: devices.Shelly, Key: d.Topic}})
	a.mu.Unlock()
	if len(found) > 0 { // a Shelly 2.5 or 4Pro: one light per relay
		for _, f := range found {
			f.Discovery.Model, f.Discovery.Firmware, f.Discovery.Extra = d.Model, d.Firmware, d.Extra
		}
		return found, nil
	}
	return []devices.Report{{Protocol: devices.Shelly, Key: d.Topic, Discovery: d}}, nil
}

// gen1 decodes Gen1 topics under shellies/<id>/ (rest is the topic after
// "shellies/"): relay/<n> on|off|overpower, relay/<n>/power (W),
// relay/<n>/energy (watt-minutes, the Gen1 counter: kWh = Wmin / 60000),
// light/<n> on|off, light/<n>/status JSON {ison, brightness 0–100},
// light/<n>/power and /energy, emeter/<n>/power|voltage|current|pf and
// emeter/<n>/total (Wh), temperature (°C). Relay and light <n> are outputs,
// reported on Channel "<n>" (0 the Primary); meters other than 0 prefix
// their metrics with "ch<n>_".
func (a *Adapter) gen1(topic, rest string, payload []byte) ([]devices.Report, *devices.DecodeError) {
	parts := strings.Split(rest, "/")
	if len(parts) < 2 || parts[0] == "" {
		return nil, devices.Errorf(devices.ReasonIgnored, "%s: Gen1 topic not used by hamlet", topic)
	}
	prefix := "shellies/" + parts[0]
	r := devices.Report{Protocol: devices.Shelly, Key: prefix}
	text := strings.TrimSpace(string(payload))
	ch := ""
	if len(parts) >= 3 {
		if !isComponent("x:" + parts[2]) {
			return nil, devices.Errorf(devices.ReasonIgnored, "%s: channel %s is not a number; Gen1 topic not used by hamlet", topic, devices.Quote(parts[2]))
		}
		if parts[1] == "relay" || parts[1] == "light" {
			r.Channel, r.Primary = parts[2], parts[2] == "0"
		} else if parts[2] != "0" {
			ch = "ch" + parts[2] + "_"
		}
	}
	metric := func(name string, scale float64) ([]devices.Report, *devices.DecodeError) {
		v, ok := jsonfield.ParseNumber([]byte(text), false)
		if !ok {
			return nil, devices.Errorf(devices.ReasonWrongType, "%s: %s is not a number", topic, devices.Quote(text))
		}
		r.Metrics = map[string]float64{ch + name: v * scale}
		return []devices.Report{r}, nil
	}
	path := strings.Join(parts[1:], "/")
	if len(parts) >= 3 {
		path = parts[1] + "/n/" + strings.Join(parts[3:], "/")
	}
	switch path {
	case "relay/n/", "light/n/":
		var on bool
		switch text {
		case "on":
			on = true
		case "off":
		case "overpower":
			r.Events = []devices.Event{{Type: "overpower", Ref: parts[1] + ":" + parts[2]}}
		default:
			return nil, devices.Errorf(devices.ReasonWrongType, "%s: %s is not on, off or overpower", topic, devices.Quote(text))
		}
		if r.Events == nil {
			r.Light = &devices.LightState{On: devices.Bool(on)}
		}
		if parts[1] == "light" {
			r.Kind = devices.Light
		}
		a.learnGen1(prefix, parts[1] == "light")
		return []devices.Report{r}, nil
	case "light/n/status":
		return a.gen1Light(topic, r, payload)
	case "relay/n/power", "light/n/power", "emeter/n/power":
		return metric("power_w", 1)
	case "relay/n/energy", "light/n/energy":
		return metric("energy_kwh", 1.0/60000)
	case "emeter/n/total":
		return metric("energy_kwh", 0.001)
	case "emeter/n/voltage":
		return metric("voltage_v", 1)
	case "emeter/n/current":
		return metric("current_a", 1)
	case "emeter/n/pf":
		return metric("power_factor", 1)
	case "temperature":
		return metric("temperature_c", 1)
	case "relay/n/command", "light/n/set", "light/n/command":
		return nil, devices.Errorf(devices.ReasonIgnored, "%s is a command topic (published by a controller, not a device)", topic)
	}
	return nil, devices.Errorf(devices.ReasonIgnored, "%s: Gen1 topic not used by hamlet", topic)
}

// gen1Light decodes shellies/<id>/light/<n>/status.
func (a *Adapter) gen1Light(topic string, r devices.Report, payload []byte) ([]devices.Report, *devices.DecodeError) {
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return nil, within(topic, err)
	}
	prefix := r.Key
	r.Kind = devices.Light
	on, hasOn, err := o.Bool("ison")
	if err != nil {
		return nil, err
	}
	b, hasB, err := o.NumberIn("brightness", 0, 100)
	if err != nil {
		return nil, err
	}
	if hasOn || hasB {
		r.Light = &devices.LightState{}
		if hasOn {
			r.Light.On = devices.Bool(on)
		}
		if hasB {
			r.Light.Brightness = devices.Int(int(b + 0.5))
		}
	}
	if p, ok, err := o.Number("power"); err != nil {
		return nil, err
	} else if ok {
		r.Metrics = map[string]float64{"power_w": p}
	}
	a.learnGen1(prefix, true)
	return []devices.Report{r}, nil
}

func (a *Adapter) learnGen1(prefix string, dimmer bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.learn(prefix, "", true, dimmer)
}
