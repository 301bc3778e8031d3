// Package devices is hamlet's domain: device kinds, devices, the reports that
// devices send, their reported and desired state, and the commands sent to
// them. It imports only the standard library; protocol adapters live in the
// sub-packages and translate MQTT topics and payloads to and from these types.
package devices

import "fmt"

// Kind is what a device is for.
type Kind string

// The device kinds hamlet manages.
const (
	Light   Kind = "light"
	Camera  Kind = "camera"
	Speaker Kind = "speaker"
)

// Kinds lists every kind, in display order.
var Kinds = []Kind{Light, Camera, Speaker}

// ParseKind returns the Kind named s, or an error naming s.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("unknown device kind %q (want light, camera or speaker)", s)
}

// Protocol names the MQTT dialect a device speaks.
type Protocol string

// The protocols hamlet understands.
const (
	Native      Protocol = "native"
	Tasmota     Protocol = "tasmota"
	ESPHome     Protocol = "esphome"
	HASS        Protocol = "hass"
	Shelly      Protocol = "shelly"
	Zigbee2MQTT Protocol = "zigbee2mqtt"
	Frigate     Protocol = "frigate"
	Sonos2MQTT  Protocol = "sonos2mqtt"
)

// Protocols lists every protocol.
var Protocols = []Protocol{Native, Tasmota, ESPHome, HASS, Shelly, Zigbee2MQTT, Frigate, Sonos2MQTT}

// ParseProtocol returns the Protocol named s, or an error naming s.
func ParseProtocol(s string) (Protocol, error) {
	for _, p := range Protocols {
		if string(p) == s {
			return p, nil
		}
	}
	return "", fmt.Errorf("unknown protocol %q", s)
}

// Device is one device of the area, declared in the config or found by discovery.
type Device struct {
	ID       string   // unique in the area
	Name     string   // human name
	Kind     Kind     // light, camera or speaker
	Zone     string   // zone id; empty for a discovered device not yet assigned
	Protocol Protocol // the dialect it speaks
	// Topic is the protocol's own address for the device: the Tasmota %topic%,
	// ESPHome node name, Shelly topic prefix, Zigbee2MQTT friendly name,
	// Frigate camera name, ... For native devices it is the device id.
	Topic string
	// FullTopic is a Tasmota FullTopic pattern such as "%prefix%/%topic%/"; empty means the default.
	FullTopic string
	// Channel names the output of a multi-output controller in the
	// firmware's own words (Tasmota relay "2", Shelly component "1", an
	// ESPHome or HA entity object id, a Zigbee2MQTT endpoint "l2"); empty
	// is the controller's first output. See CheckChannel.
	Channel string
	// Discovered is true for devices that announced themselves.
	Discovered bool
}
