package zigbee2mqtt

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
)

// Encode turns a light command into one message on <base>/<name>/set, QoS 1,
// e.g. {"state":"ON","brightness":127}: brightness 0–100 is scaled to
// Zigbee2MQTT's 0–254, and is left out when the light is switched off (it
// would switch the light back on). A device with a Channel (endpoint ep)
// is sent {"state_ep":…,"brightness_ep":…}, which only that endpoint obeys.
func (a *Adapter) Encode(cmd devices.Command) ([]devices.Message, error) {
	l := cmd.Light
	if l == nil || (l.On == nil && l.Brightness == nil) {
		return nil, errors.New("zigbee2mqtt: only light commands (on/off, brightness) are supported")
	}
	if b := l.Brightness; b != nil && (*b < 0 || *b > 100) {
		return nil, fmt.Errorf("zigbee2mqtt: brightness %d is outside 0-100", *b)
	}
	name, suffix, err := address(cmd.Device)
	if err != nil {
		return nil, err
	}
	s := map[string]any{}
	if l.On != nil {
		s["state"+suffix] = map[bool]string{true: "ON", false: "OFF"}[*l.On]
	}
	if b := l.Brightness; b != nil && (l.On == nil || *l.On) {
		s["brightness"+suffix] = devices.FromPercent(*b, 254)
	}
	return a.message(name, "set", s)
}

// QueryState implements devices.StateQuerier: {"state":""} (or
// {"state_ep":""} for endpoint ep) on <base>/<name>/get makes Zigbee2MQTT
// read the device and publish its state on <base>/<name>.
func (a *Adapter) QueryState(d devices.Device) ([]devices.Message, error) {
	name, suffix, err := address(d)
	if err != nil {
		return nil, err
	}
	return a.message(name, "get", map[string]any{"state" + suffix: ""})
}

// address returns the friendly name d is addressed by and the suffix of
// its endpoint's keys ("" without a Channel, "_ep" for endpoint ep).
func address(d devices.Device) (name, suffix string, err error) {
	name = d.Topic
	if name == "" {
		return "", "", fmt.Errorf("zigbee2mqtt: device %s has no friendly name (topic)", devices.Quote(d.ID))
	}
	if first, _, _ := strings.Cut(name, "/"); first == "bridge" || slices.ContainsFunc(strings.Split(name, "/"), func(l string) bool { return l == "set" || l == "get" }) {
		return "", "", fmt.Errorf("zigbee2mqtt: friendly name %s cannot be addressed (it starts with bridge or has a set/get level)", devices.Quote(name))
	}
	if ep := d.Channel; ep != "" {
		if err := devices.CheckChannel(devices.Zigbee2MQTT, ep); err != nil {
			return "", "", fmt.Errorf("zigbee2mqtt: device %s: %w", devices.Quote(d.ID), err)
		}
		suffix = "_" + ep
	}
	return name, suffix, nil
}

// message is body as JSON on <base>/<name>/<verb>, QoS 1.
func (a *Adapter) message(name, verb string, body map[string]any) ([]devices.Message, error) {
	topic := a.base + "/" + name + "/" + verb
	if err := devices.CheckTopic(topic); err != nil {
		return nil, fmt.Errorf("zigbee2mqtt: %w", err)
	}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("zigbee2mqtt: %w", err)
	}
	return []devices.Message{{Topic: topic, Payload: b, QoS: 1}}, nil
}
