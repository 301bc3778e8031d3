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
	name := cmd.Device.Topic
	if name == "" {
		return nil, fmt.Errorf("zigbee2mqtt: device %s has no friendly name (topic)", devices.Quote(cmd.Device.ID))
	}
	if first, _, _ := strings.Cut(name, "/"); first == "bridge" || slices.ContainsFunc(strings.Split(name, "/"), func(l string) bool { return l == "set" || l == "get" }) {
		return nil, fmt.Errorf("zigbee2mqtt: friendly name %s cannot be addressed (it starts with bridge or has a set/get level)", devices.Quote(name))
	}
	if b := l.Brightness; b != nil && (*b < 0 || *b > 100) {
		return nil, fmt.Errorf("zigbee2mqtt: brightness %d is outside 0-100", *b)
	}
	suffix := ""
	if ep := cmd.Device.Channel; ep != "" {
		if err := devices.CheckChannel(devices.Zigbee2MQTT, ep); err != nil {
			return nil, fmt.Errorf("zigbee2mqtt: device %s: %w", devices.Quote(cmd.Device.ID), err)
		}
		suffix = "_" + ep
	}
	s := map[string]any{}
	if l.On != nil {
		s["state"+suffix] = map[bool]string{true: "ON", false: "OFF"}[*l.On]
	}
	if b := l.Brightness; b != nil && (l.On == nil || *l.On) {
		s["brightness"+suffix] = devices.FromPercent(*b, 254)
	}
	topic := a.base + "/" + name + "/set"
	if err := devices.CheckTopic(topic); err != nil {
		return nil, fmt.Errorf("zigbee2mqtt: %w", err)
	}
	body, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("zigbee2mqtt: %w", err)
	}
	return []devices.Message{{Topic: topic, Payload: body, QoS: 1}}, nil
}
