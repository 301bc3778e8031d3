package shelly

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/hamlet-vn/hamlet/devices"
)

// Encode turns a light command into one message, never retained. The device
// is addressed by cmd.Device.Topic, its topic prefix.
//
// Gen2/Gen3 (the default for a prefix not learned as Gen1): an RPC request
// to <prefix>/rpc, {"id":<cmd.ID>,"src":<replyPrefix>,"method":"Switch.Set",
// "params":{"id":0,"on":true}}, or Light.Set with "brightness" for a prefix
// learned as a dimmer (a light:0 component was seen). The device answers on
// <replyPrefix>/rpc, which Decode turns into an Ack with ID cmd.ID.
//
// Gen1 (a prefix where Gen1 topics or shellies/announce were seen): "on" or
// "off" to <prefix>/relay/0/command, or for a dimmer
// {"turn":"on","brightness":N} to <prefix>/light/0/set. Gen1 sends no acks.
//
// A device with a Channel (component id n) is addressed as switch:n or
// light:n ("id":n; Gen1 relay/<n>, light/<n>), so that the other outputs
// keep their state; the answer is reported on that channel.
//
// A relay takes no brightness: a brightness alone switches it on (above 0)
// or off. Commands other than light commands wrap errors.ErrUnsupported.
func (a *Adapter) Encode(cmd devices.Command) ([]devices.Message, error) {
	prefix := cmd.Device.Topic
	if err := devices.CheckTopic(prefix); err != nil {
		return nil, fmt.Errorf("shelly: device %q: topic prefix: %w", cmd.Device.ID, err)
	}
	l := cmd.Light
	if l == nil {
		return nil, fmt.Errorf("shelly: command %q for %q: only light commands (on, brightness) are supported: %w", cmd.ID, prefix, errors.ErrUnsupported)
	}
	if l.On == nil && l.Brightness == nil {
		return nil, fmt.Errorf("shelly: light command %q for %q sets neither on nor brightness", cmd.ID, prefix)
	}
	if l.Brightness != nil && (*l.Brightness < 0 || *l.Brightness > 100) {
		return nil, fmt.Errorf("shelly: light command %q for %q: brightness %d is outside 0-100", cmd.ID, prefix, *l.Brightness)
	}
	comp, err := componentID(cmd.Device.Channel)
	if err != nil {
		return nil, fmt.Errorf("shelly: device %q: %w", cmd.Device.ID, err)
	}
	a.mu.Lock()
	var p peer
	if known := a.peers[prefix]; known != nil {
		p = *known
	}
	if !p.gen1 && cmd.ID != "" {
		a.remember(cmd.ID, cmd.Device.Channel)
	}
	a.mu.Unlock()
	on, bright := l.On, l.Brightness
	if !p.dimmer && bright != nil {
		if on == nil {
			on = devices.Bool(*bright > 0)
		}
		bright = nil
	}
	if p.gen1 {
		return gen1Command(prefix, comp, p.dimmer, on, bright)
	}
	if cmd.ID == "" {
		return nil, fmt.Errorf("shelly: light command for %q has no id; Gen2 RPC needs one to match the answer", prefix)
	}
	method, params := "Switch.Set", map[string]any{"id": comp}
	if p.dimmer {
		method = "Light.Set"
	}
	if on != nil {
		params["on"] = *on
	}
	if bright != nil {
		params["brightness"] = *bright
	}
	body, err := json.Marshal(map[string]any{"id": cmd.ID, "src": a.reply, "method": method, "params": params})
	if err != nil {
		return nil, fmt.Errorf("shelly: encode %s: %w", method, err)
	}
	return []devices.Message{{Topic: prefix + "/rpc", Payload: body, QoS: 1}}, nil
}

// QueryState implements devices.StateQuerier: "status_update" on
// <prefix>/command makes a Gen2 device publish each component's status on
// <prefix>/status/<component>; "update" there makes a Gen1 device publish
// its relays' and lights' state.
func (a *Adapter) QueryState(d devices.Device) ([]devices.Message, error) {
	prefix := d.Topic
	if err := devices.CheckTopic(prefix); err != nil {
		return nil, fmt.Errorf("shelly: device %q: topic prefix: %w", d.ID, err)
	}
	a.mu.Lock()
	gen1 := a.peers[prefix] != nil && a.peers[prefix].gen1
	a.mu.Unlock()
	payload := "status_update"
	if gen1 {
		payload = "update"
	}
	return []devices.Message{{Topic: prefix + "/command", Payload: []byte(payload), QoS: 1}}, nil
}

func gen1Command(prefix string, comp int, dimmer bool, on *bool, bright *int) ([]devices.Message, error) {
	n := strconv.Itoa(comp)
	if !dimmer {
		p := "off"
		if *on {
			p = "on"
		}
		return []devices.Message{{Topic: prefix + "/relay/" + n + "/command", Payload: []byte(p), QoS: 1}}, nil
	}
	body := map[string]any{}
	if on != nil {
		body["turn"] = map[bool]string{true: "on", false: "off"}[*on]
	}
	if bright != nil {
		body["brightness"] = *bright
	}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("shelly: encode light/0/set: %w", err)
	}
	return []devices.Message{{Topic: prefix + "/light/" + n + "/set", Payload: b, QoS: 1}}, nil
}
