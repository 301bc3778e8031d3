package hass

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/jsonfield"
)

// reports collects one report per device, in order of first appearance.
type reports struct {
	list  []*devices.Report
	index map[string]*devices.Report
}

func (rs *reports) get(d *device) *devices.Report { return rs.channel(d, "", false) }

// channel returns the report of one output of d (channel "" is the device
// as a whole).
func (rs *reports) channel(d *device, channel string, primary bool) *devices.Report {
	k := d.key + "\x00" + channel
	if r, ok := rs.index[k]; ok {
		return r
	}
	if rs.index == nil {
		rs.index = map[string]*devices.Report{}
	}
	r := &devices.Report{Protocol: d.protocol, Key: d.key, Channel: channel, Primary: primary}
	rs.index[k] = r
	rs.list = append(rs.list, r)
	return r
}

// target returns the report an entity's state goes to: its own channel's
// when it is one of several outputs of d, else the device's.
func (rs *reports) target(d *device, e *entity) *devices.Report {
	if !e.isOutput() {
		return rs.get(d)
	}
	outs := d.outputs()
	if len(outs) < 2 {
		return rs.get(d)
	}
	return rs.channel(d, e.objectID, e == d.controlled())
}

// decodeLearned decodes a message on a learned topic for every entity (and
// ESPHome node) the topic belongs to. When one entity's part fails and
// another's succeeds (two sensors reading one JSON state topic), the
// successful reports are returned.
func (a *Adapter) decodeLearned(topic string, rs []route, payload []byte, retained bool) ([]devices.Report, *devices.DecodeError) {
	var out reports
	var firstErr *devices.DecodeError
	fail := func(err *devices.DecodeError) {
		if firstErr == nil && err != nil {
			firstErr = err
		}
	}
	commandOnly := true
	for _, r := range rs {
		commandOnly = commandOnly && r.role == roleCommand
	}
	if commandOnly {
		return nil, devices.Errorf(devices.ReasonIgnored, "%s is a command topic (%s); hamlet publishes there itself", topic, a.entities[rs[0].entity].label())
	}
	if !utf8.Valid(payload) {
		for _, r := range rs {
			if r.role == roleImage {
				return nil, devices.Errorf(devices.ReasonBinary, "%s: camera image of %d bytes (%s); images are not decoded", topic, len(payload), a.entities[r.entity].label())
			}
		}
		return nil, devices.Errorf(devices.ReasonBinary, "%s: payload of %d bytes is not UTF-8 text", topic, len(payload))
	}
	availDone := map[string]bool{}
	for _, r := range rs {
		switch r.role {
		case roleCommand:
		case roleNodeStatus:
			d := a.devs[r.device]
			if d == nil || availDone[d.key] {
				continue
			}
			av, err := availabilityOf(topic, string(payload), "online", "offline")
			if err != nil {
				fail(err)
				continue
			}
			availDone[d.key] = true
			out.get(d).Availability = av
		default:
			e := a.entities[r.entity]
			if e == nil || a.devs[e.deviceKey] == nil {
				continue
			}
			d := a.devs[e.deviceKey]
			if r.role == roleAvailability {
				if !availDone[d.key] {
					if av, ok, err := a.entityAvailability(e, d, topic, payload); err != nil {
						fail(err)
					} else if ok {
						availDone[d.key] = true
						out.get(d).Availability = av
					}
				}
				continue
			}
			var rep devices.Report
			if err := a.entityState(e, d, r.role, payload, retained, &rep); err != nil {
				fail(within(e.label(), err))
				continue
			}
			merge(out.target(d, e), &rep)
		}
	}
	if len(out.list) == 0 {
		return nil, firstErr // nil: availability_mode all/any cannot decide yet
	}
	list := make([]devices.Report, len(out.list))
	for i, r := range out.list {
		list[i] = *r
	}
	return list, nil
}

// label names an entity in error details: "light garagedoor1/garage_led".
func (e *entity) label() string {
	if e == nil {
		return "unknown entity"
	}
	if e.nodeID != "" {
		return e.component + " " + e.nodeID + "/" + e.objectID
	}
	return e.component + " " + e.objectID
}

// merge copies the fields src sets into dst.
func merge(dst, src *devices.Report) {
	if src.Light != nil {
		if dst.Light == nil {
			dst.Light = &devices.LightState{}
		}
		if src.Light.On != nil {
			dst.Light.On = src.Light.On
		}
		if src.Light.Brightness != nil {
			dst.Light.Brightness = src.Light.Brightness
		}
	}
	if src.Camera != nil {
		dst.Camera = src.Camera
	}
	if src.Speaker != nil {
		dst.Speaker = src.Speaker
	}
	for k, v := range src.Metrics {
		if dst.Metrics == nil {
			dst.Metrics = map[string]float64{}
		}
		dst.Metrics[k] = v
	}
	dst.Events = append(dst.Events, src.Events...)
}

func availabilityOf(topic, payload, online, offline string) (devices.Availability, *devices.DecodeError) {
	switch payload {
	case online:
		return devices.Online, nil
	case offline:
		return devices.Offline, nil
	}
	if payload == "" {
		return "", devices.Errorf(devices.ReasonEmpty, "%s: empty availability payload (cleared), want %q or %q", topic, online, offline)
	}
	return "", devices.Errorf(devices.ReasonWrongType, "%s: availability %s is neither %q nor %q", topic, devices.Quote(payload), online, offline)
}

// entityAvailability applies one availability message to the device,
// following the entity's availability_mode: latest (this message decides),
// all (online when every topic is online) or any (online when one is). ok is
// false while all or any cannot decide yet.
func (a *Adapter) entityAvailability(e *entity, d *device, topic string, payload []byte) (devices.Availability, bool, *devices.DecodeError) {
	var conf availability
	for _, av := range e.avail {
		if av.topic == topic {
			conf = av
			break
		}
	}
	text := string(payload)
	if conf.value != nil {
		raw, err := conf.value.apply(payload)
		if err != nil {
			return "", false, within(topic+" availability", err)
		}
		text = scalar(raw)
	}
	av, err := availabilityOf(topic, text, conf.online, conf.offline)
	if err != nil {
		return "", false, err
	}
	d.avail[topic] = av
	if e.availMode == "latest" || len(e.avail) < 2 {
		return av, true, nil
	}
	online, offline := 0, 0
	for _, other := range e.avail {
		switch d.avail[other.topic] {
		case devices.Online:
			online++
		case devices.Offline:
			offline++
		}
	}
	switch {
	case e.availMode == "all" && offline > 0, e.availMode == "any" && offline == len(e.avail):
		return devices.Offline, true, nil
	case e.availMode == "all" && online == len(e.avail), e.availMode == "any" && online > 0:
		return devices.Online, true, nil
	}
	return "", false, nil
}

// scalar renders a JSON value as Home Assistant renders a template result:
// strings unquoted, numbers and other values as written.
func scalar(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	switch string(raw) {
	case "true":
		return "True"
	case "false":
		return "False"
	case "null":
		return "None"
	}
	return string(raw)
}

// valueText returns the payload through the entity's template (if any) as text.
func (e *entity) valueText(tpl *valueTemplate, payload []byte) (string, *devices.DecodeError) {
	if tpl == nil {
		return string(payload), nil
	}
	raw, err := tpl.apply(payload)
	if err != nil {
		return "", err
	}
	return scalar(raw), nil
}

// number parses a sensor value: a finite decimal number.
func number(text string) (float64, *devices.DecodeError) {
	t := strings.TrimSpace(text)
	if t == "" {
		return 0, devices.Errorf(devices.ReasonEmpty, "empty state, want a number")
	}
	v, ok := jsonfield.ParseNumber(json.RawMessage(t), false)
	if !ok {
		f, err := strconv.ParseFloat(t, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, devices.Errorf(devices.ReasonWrongType, "state %s is not a finite number", devices.Quote(text))
		}
		v = f
	}
	return v, nil
}
