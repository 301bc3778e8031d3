package shelly

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
)

// maxPending bounds the table of RPC requests awaiting an answer.
const maxPending = 4096

// msg collects the reports of one message: one about the device as a whole
// (time, Wi-Fi, uptime, events, acks, discovery) and one per output
// component (switch:<id>, light:<id>, Gen1 relay/<id>, light/<id>) on
// Channel "<id>", id 0 being the Primary channel.
type msg struct {
	devices.Report
	outputs []devices.Report
}

// output returns the report of output id, adding it.
func (m *msg) output(id string) *devices.Report {
	for i := range m.outputs {
		if m.outputs[i].Channel == id {
			return &m.outputs[i]
		}
	}
	m.outputs = append(m.outputs, devices.Report{Protocol: devices.Shelly, Key: m.Key, Channel: id, Primary: id == "0", Time: m.Time})
	return &m.outputs[len(m.outputs)-1]
}

// reports returns the device's report (when it carries anything, or when
// there is nothing else), then each output's.
func (m *msg) reports() []devices.Report {
	b := m.Report
	out := make([]devices.Report, 0, len(m.outputs)+1)
	if len(m.outputs) == 0 || b.Metrics != nil || b.Events != nil || b.Ack != nil || b.Discovery != nil || b.Availability != "" {
		out = append(out, b)
	}
	return append(out, m.outputs...)
}

// outputID returns the id of an output component name (switch:1 → "1",
// light:0 → "0"), or false for any other component.
func outputID(name string) (string, bool) {
	typ, id, found := strings.Cut(name, ":")
	if !found || (typ != "switch" && typ != "light") {
		return "", false
	}
	return id, true
}

// learnOutputs records the output ids a message spoke of and, for a device
// with several outputs (an id other than 0 was seen), returns a Discovery
// per newly seen output: id "<device id>-<output id>" on its channel, so
// that a Shelly Pro 4PM is four lights. The caller holds a.mu.
func (a *Adapter) learnOutputs(prefix string, m *msg) []devices.Report {
	p := a.peers[prefix]
	if p == nil {
		return nil
	}
	if p.outputs == nil {
		p.outputs = map[string]bool{}
	}
	wasMulti := p.multi
	var fresh []string
	if n := modelOutputs(p.id); n > 1 && !p.multi { // known from the model at first sight
		for i := range n {
			p.outputs[strconv.Itoa(i)] = true
		}
		p.multi = true
	}
	for _, o := range m.outputs {
		if !p.outputs[o.Channel] && len(p.outputs) < 64 {
			p.outputs[o.Channel] = true
			fresh = append(fresh, o.Channel)
		}
		if o.Channel != "0" {
			p.multi = true
		}
	}
	if !p.multi {
		return nil
	}
	if !wasMulti { // now known to have several outputs: announce all seen so far
		fresh = slices.Sorted(maps.Keys(p.outputs))
	}
	var out []devices.Report
	for _, id := range fresh {
		disc := &devices.Discovery{Topic: prefix}
		if p.id != "" {
			model, _, _ := strings.Cut(p.id, "-")
			disc.ID, disc.Name, disc.Model = devices.ChannelID(p.id, id), p.id+" "+id, model
		}
		kind := devices.Light // an output switches a lamp, or dims one
		out = append(out, devices.Report{Protocol: devices.Shelly, Key: prefix, Channel: id, Primary: id == "0", Kind: kind, Discovery: disc})
	}
	return out
}

// multiOutput lists the Shelly models (the first part of the device id)
// with several outputs, and how many: they are announced as one light per
// output as soon as their id is seen, before any output's status.
var multiOutput = map[string]int{
	"shellyplus2pm": 2, "shellypro2pm": 2, "shellypro2": 2, "shellyprodm2pm": 2, "shelly2pmg3": 2,
	"shellypro3": 3, "shellypro4pm": 4,
	"shellyswitch25": 2, "shellyswitch": 2, "shelly4pro": 4, // Gen1: Shelly 2.5, Shelly 2, Shelly 4Pro
}

// modelOutputs returns how many outputs the model of device id has, 0 when
// it is not known to have several.
func modelOutputs(id string) int {
	model, _, _ := strings.Cut(strings.ToLower(id), "-")
	return multiOutput[model]
}

// remember keeps which channel an RPC request id is for, so that its answer
// is reported on that channel. The caller holds a.mu.
func (a *Adapter) remember(id, channel string) {
	if channel == "" {
		return
	}
	if len(a.pending) >= maxPending {
		clear(a.pending)
	}
	a.pending[id] = channel
}

// recall returns (and forgets) the channel of the RPC request id, if any.
// The caller holds a.mu.
func (a *Adapter) recall(id string) (string, bool) {
	ch, ok := a.pending[id]
	delete(a.pending, id)
	return ch, ok
}

// componentID returns the numeric id of a device's channel for an RPC
// request or a Gen1 topic: "" (the first output) is 0.
func componentID(channel string) (int, error) {
	if channel == "" {
		return 0, nil
	}
	if err := devices.CheckChannel(devices.Shelly, channel); err != nil {
		return 0, err
	}
	return strconv.Atoi(channel)
}

// dimmer reports whether the message spoke of a light (dimmer) component.
func (m *msg) dimmer() bool {
	for _, o := range m.outputs {
		if o.Kind == devices.Light {
			return true
		}
	}
	return m.Kind == devices.Light
}
