package shelly

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/jsonfield"
)

// wallTime converts a Shelly "ts" (Unix seconds, fractional) to a time. Before
// NTP sync Shelly sends seconds since boot (e.g. 1.61): anything before 2001
// (1e9) or after 5138 (1e11) is not a wall time and yields the zero time.
func wallTime(ts float64) time.Time {
	if ts < 1e9 || ts >= 1e11 {
		return time.Time{}
	}
	sec := math.Floor(ts)
	ms := math.Round((ts - sec) * 1000)
	return time.Unix(int64(sec), int64(ms)*int64(time.Millisecond)).UTC()
}

// notification decodes <prefix>/events/rpc: NotifyStatus and
// NotifyFullStatus (component status, NotifyStatus carrying only the keys
// that changed, so absent keys are left nil) and NotifyEvent (button and
// other events).
func (a *Adapter) notification(prefix string, payload []byte) ([]devices.Report, *devices.DecodeError) {
	if prefix == "" {
		return nil, devices.Errorf(devices.ReasonUnknownTopic, "events/rpc without a topic prefix")
	}
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return nil, err
	}
	method, ok, err := o.String("method")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, devices.Errorf(devices.ReasonMissingField, "%q missing: want NotifyStatus, NotifyFullStatus or NotifyEvent", "method")
	}
	src, _, err := o.String("src")
	if err != nil {
		return nil, err
	}
	params, ok, err := o.Object("params")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, devices.Errorf(devices.ReasonMissingField, "%q missing in %s", "params", method)
	}
	m := &msg{Report: devices.Report{Protocol: devices.Shelly, Key: prefix}}
	r := &m.Report
	if ts, ok, err := params.Number("ts"); err != nil {
		return nil, err
	} else if ok {
		r.Time = wallTime(ts)
	}
	switch method {
	case "NotifyStatus", "NotifyFullStatus":
		for _, k := range params.Keys() {
			if k == "ts" || !isComponent(k) {
				continue
			}
			c, ok, err := params.Object(k)
			if err != nil {
				return nil, err
			}
			if ok {
				if err := component(k, c, m); err != nil {
					return nil, err
				}
			}
		}
	case "NotifyEvent":
		if err := events(params, r); err != nil {
			return nil, err
		}
	default:
		return nil, devices.Errorf(devices.ReasonIgnored, "notification method %s is not used", devices.Quote(method))
	}
	a.mu.Lock()
	r.Discovery = a.learn(prefix, src, false, m.dimmer())
	found := a.learnOutputs(prefix, m)
	if found != nil {
		r.Discovery = nil // the outputs are the devices
	}
	if r.Discovery != nil && m.dimmer() {
		r.Kind = devices.Light
	}
	a.mu.Unlock()
	return append(found, m.reports()...), nil
}

// events reads NotifyEvent's params.events[]: {component, id, event, ts}.
func events(params jsonfield.Object, r *devices.Report) *devices.DecodeError {
	raw, ok := params.Raw("events")
	if !ok {
		return devices.Errorf(devices.ReasonMissingField, "%q missing in NotifyEvent", params.Name("events"))
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		return params.WrongType("events", "a list of events")
	}
	for i, item := range list {
		e, err := jsonfield.Parse(item)
		if err != nil {
			return devices.Errorf(devices.ReasonWrongType, "%s[%d]: want an object, got %s", params.Name("events"), i, jsonfield.Got(item))
		}
		name, ok, err := e.String("event")
		if err != nil {
			return within(fmt.Sprintf("%s[%d]", params.Name("events"), i), err)
		}
		if !ok || name == "" {
			return devices.Errorf(devices.ReasonMissingField, "%s[%d]: %q missing", params.Name("events"), i, "event")
		}
		comp, _, err := e.String("component")
		if err != nil {
			return within(fmt.Sprintf("%s[%d]", params.Name("events"), i), err)
		}
		ev := devices.Event{Type: name, Ref: comp, Time: r.Time}
		if ts, ok, err := e.Number("ts"); err != nil {
			return within(fmt.Sprintf("%s[%d]", params.Name("events"), i), err)
		} else if ok {
			ev.Time = wallTime(ts)
		}
		r.Events = append(r.Events, ev)
	}
	return nil
}

// status decodes <prefix>/status/<component>: the component's full status.
func (a *Adapter) status(prefix, comp string, payload []byte) ([]devices.Report, *devices.DecodeError) {
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return nil, within(comp, err)
	}
	m := &msg{Report: devices.Report{Protocol: devices.Shelly, Key: prefix}}
	if err := component(comp, o, m); err != nil {
		return nil, err
	}
	a.mu.Lock()
	a.learn(prefix, "", false, m.dimmer())
	found := a.learnOutputs(prefix, m)
	a.mu.Unlock()
	return append(found, m.reports()...), nil
}

// rpc decodes a message on …/rpc: a response (result or error) becomes an
// Ack whose ID is the request id; a request (method) is not a report.
func (a *Adapter) rpc(topic string, payload []byte) ([]devices.Report, *devices.DecodeError) {
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return nil, err
	}
	if o.Has("method") {
		m, _, _ := o.String("method")
		return nil, devices.Errorf(devices.ReasonIgnored, "%s carries an RPC request (%s) to a device, not a report", topic, devices.Quote(m))
	}
	raw, ok := o.Raw("id")
	if !ok {
		return nil, devices.Errorf(devices.ReasonMissingField, "%q missing in the RPC response on %s", "id", topic)
	}
	id, ok := rpcID(raw)
	if !ok {
		return nil, o.WrongType("id", "a string or a number")
	}
	src, ok, err := o.String("src")
	if err != nil {
		return nil, err
	}
	if !ok || src == "" {
		return nil, devices.Errorf(devices.ReasonMissingField, "%q missing in the RPC response on %s", "src", topic)
	}
	ack := &devices.Ack{ID: id, OK: true}
	switch e, hasErr, err := o.Object("error"); {
	case err != nil:
		return nil, err
	case hasErr:
		code, _, err := e.Number("code")
		if err != nil {
			return nil, err
		}
		msg, _, err := e.String("message")
		if err != nil {
			return nil, err
		}
		ack.OK = false
		ack.Error = strings.TrimSpace(strconv.FormatFloat(code, 'f', -1, 64) + " " + msg)
	case !o.Has("result"):
		return nil, devices.Errorf(devices.ReasonMissingField, "RPC response on %s has neither %q nor %q", topic, "result", "error")
	}
	a.mu.Lock()
	key, known := a.bySrc[src]
	channel, _ := a.recall(id)
	a.mu.Unlock()
	if !known {
		key = src // the default topic prefix is the device id
	}
	return []devices.Report{{Protocol: devices.Shelly, Key: key, Channel: channel, Primary: channel == "0", Ack: ack}}, nil
}

// rpcID renders an RPC id, which Shelly allows to be a string or a number.
func rpcID(raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	if v, ok := jsonfield.ParseNumber(raw, false); ok {
		return strconv.FormatFloat(v, 'f', -1, 64), true
	}
	return "", false
}

// within prefixes an error's detail with the place it was found.
func within(place string, err *devices.DecodeError) *devices.DecodeError {
	return &devices.DecodeError{Reason: err.Reason, Detail: place + ": " + err.Detail}
}
