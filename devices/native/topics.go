// Package native is the adapter for hamlet's own MQTT contract, spoken by
// devices built for hamlet: <prefix>/<area>/<device>/{status,info,state,
// telemetry,event,ack} from the device and <prefix>/<area>/<device>/cmd to it.
// docs/mqtt.md describes the contract precisely.
package native

import (
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
)

// DefaultPrefix is the first topic level used when New is given an empty prefix.
const DefaultPrefix = "hamlet"

// DaemonLevel is the device level of the daemon's own topics
// (<prefix>/<area>/$daemon/status); messages there are ignored.
const DaemonLevel = "$daemon"

// Adapter decodes and encodes the native contract for one area. It holds no
// mutable state and is safe for concurrent use.
type Adapter struct {
	prefix string
	area   string
}

// New returns the adapter for topics <prefix>/<area>/…; an empty prefix means
// DefaultPrefix. The area is the config's area id and should not be empty.
func New(prefix, area string) *Adapter {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return &Adapter{prefix: prefix, area: area}
}

// Protocol returns devices.Native.
func (a *Adapter) Protocol() devices.Protocol { return devices.Native }

// Subscriptions returns the one filter <prefix>/<area>/+/+.
func (a *Adapter) Subscriptions() []string {
	return []string{a.base() + "+/+"}
}

func (a *Adapter) base() string { return a.prefix + "/" + a.area + "/" }

// split returns the device and message levels of topic, or ok=false when the
// topic is not <prefix>/<area>/<device>/<message>.
func (a *Adapter) split(topic string) (device, message string, ok bool) {
	rest, found := strings.CutPrefix(topic, a.base())
	if !found {
		return "", "", false
	}
	device, message, found = strings.Cut(rest, "/")
	if !found || device == "" || message == "" || strings.Contains(message, "/") {
		return "", "", false
	}
	return device, message, true
}

// CommandTopic returns the topic that commands for device are published to.
func (a *Adapter) CommandTopic(device string) string { return a.base() + device + "/cmd" }

var _ devices.Adapter = (*Adapter)(nil)
