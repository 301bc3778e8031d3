// Package zigbee2mqtt is the adapter for Zigbee2MQTT: the bridge's state,
// each device's availability, and device state JSON (lights, plugs, energy
// meters, buttons) under the base topic; commands go to <base>/<name>/set.
package zigbee2mqtt

import (
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
)

// DefaultBase is Zigbee2MQTT's default base topic.
const DefaultBase = "zigbee2mqtt"

// Adapter decodes and encodes Zigbee2MQTT messages under one base topic. It
// holds no mutable state and is safe for concurrent use.
type Adapter struct {
	base string
}

// New returns the adapter for base (empty means DefaultBase).
func New(base string) *Adapter {
	if base == "" {
		base = DefaultBase
	}
	return &Adapter{base: strings.TrimSuffix(base, "/")}
}

// Protocol returns devices.Zigbee2MQTT.
func (a *Adapter) Protocol() devices.Protocol { return devices.Zigbee2MQTT }

// Subscriptions returns <base>/#.
func (a *Adapter) Subscriptions() []string { return []string{a.base + "/#"} }

// topicKind is what a topic under the base is.
type topicKind int

const (
	kindUnknown      topicKind = iota
	kindBridgeState            // <base>/bridge/state
	kindBridgeOther            // <base>/bridge/…
	kindAvailability           // <base>/<name>/availability
	kindCommand                // <base>/<name>/set[/<attr>], …/get[/<attr>]
	kindState                  // <base>/<name>
)

// classify splits topic like Zigbee2MQTT's own regex
// ^<base>/(?!bridge)(.+?)/(get|set)(?:/(.+))?$: names may contain "/", the
// first "set" or "get" level after the name starts a command.
func (a *Adapter) classify(topic string) (topicKind, string) {
	rest, ok := strings.CutPrefix(topic, a.base+"/")
	if !ok || rest == "" {
		return kindUnknown, ""
	}
	levels := strings.Split(rest, "/")
	if levels[0] == "bridge" {
		if rest == "bridge/state" {
			return kindBridgeState, ""
		}
		return kindBridgeOther, rest
	}
	for i := 1; i < len(levels); i++ {
		if levels[i] == "set" || levels[i] == "get" {
			return kindCommand, strings.Join(levels[:i], "/")
		}
	}
	if n := len(levels); n > 1 && levels[n-1] == "availability" {
		return kindAvailability, strings.Join(levels[:n-1], "/")
	}
	for _, l := range levels {
		if l == "" {
			return kindUnknown, ""
		}
	}
	return kindState, rest
}

var _ devices.Adapter = (*Adapter)(nil)
