package devices

import (
	"fmt"
	"strconv"
)

// Channels: a multi-output controller (a 4-relay Tasmota or ESPHome board, a
// Shelly Pro 4PM or Plus 2PM, a 2-gang Zigbee switch) is several devices, one
// per output, sharing the controller's address (Protocol and Key). A device
// names its output with Device.Channel, in the firmware's own words:
//
//   - tasmota: the relay number, "1" to "32" ("2" is POWER2, Dimmer2);
//   - shelly: the component id, "0" to "999" ("1" is switch:1 or light:1,
//     Gen1 relay/1 or light/1);
//   - esphome, hass: the object id of the light or switch entity ("relay_2");
//   - zigbee2mqtt: the endpoint name ("l2" is state_l2, brightness_l2).
//
// An empty Channel is the controller's first output, as for a single-output
// device: Tasmota POWER (POWER1), Shelly switch:0, the device's first light
// (else switch) entity with a command topic, Zigbee2MQTT's plain state.
// Native, Frigate and sonos2mqtt devices have no channels.
//
// Decoders put the output a report is about in Report.Channel and set
// Report.Primary when that output is the controller's first one, so that a
// device declared without a channel receives it. Reports about the controller
// as a whole (availability, Wi-Fi, uptime) go to every channel: availability
// is the controller's.

// maxTasmotaRelays is the highest Tasmota relay number (POWER32).
const maxTasmotaRelays = 32

// CheckChannel returns an error, naming what the protocol allows, when a
// device of protocol p cannot have the output channel ch. The empty channel
// (the first output) is always allowed.
func CheckChannel(p Protocol, ch string) error {
	if ch == "" {
		return nil
	}
	switch p {
	case Tasmota:
		n, err := strconv.Atoi(ch)
		if err != nil || n < 1 || n > maxTasmotaRelays || strconv.Itoa(n) != ch {
			return fmt.Errorf("tasmota channel %s: want a relay number from 1 to %d (2 is POWER2)", Quote(ch), maxTasmotaRelays)
		}
	case Shelly:
		n, err := strconv.Atoi(ch)
		if err != nil || n < 0 || n > 999 || strconv.Itoa(n) != ch {
			return fmt.Errorf("shelly channel %s: want a component id from 0 to 999 (1 is switch:1)", Quote(ch))
		}
	case ESPHome, HASS:
		if !objectID(ch) {
			return fmt.Errorf("%s channel %s: want the object id of a light or switch entity, such as relay_2 (letters, digits, _ and -)", p, Quote(ch))
		}
	case Zigbee2MQTT:
		if !objectID(ch) {
			return fmt.Errorf("zigbee2mqtt channel %s: want an endpoint name, such as l2 (letters, digits, _ and -)", Quote(ch))
		}
	default:
		return fmt.Errorf("%s devices have no channels (only tasmota, shelly, esphome, hass and zigbee2mqtt do)", p)
	}
	return nil
}

// FirstChannel returns the name protocol p gives the first output ("1" for
// Tasmota, "0" for Shelly), or "" when the first output has no fixed name.
// A device with this channel is the same output as one without a channel.
func FirstChannel(p Protocol) string {
	switch p {
	case Tasmota:
		return "1"
	case Shelly:
		return "0"
	}
	return ""
}

// objectID reports whether s is 1–64 characters of letters, digits, _ and -.
func objectID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// ChannelID is the id a discovered output gets: "<device>-<channel>", or the
// device id alone for the first output of a single-output device (channel "").
func ChannelID(device, channel string) string {
	if channel == "" {
		return device
	}
	return device + "-" + channel
}
