// Package speakers holds the adapters for loudspeaker bridges. Sonos is the
// adapter for sonos2mqtt (protocol "sonos2mqtt"): the bridge's connected
// status, each speaker's retained state JSON and its distinct status topics,
// and notify/stop/volume commands on sonos/<uuid>/control.
//
// The other open-source bridges in the sample corpus are deliberately not
// supported and not subscribed to: lms2mqtt and mopidy-mqtt only report what a
// player plays (no way to play an announcement URL with a volume, no
// availability), mqttaudiobridge has no status at all and snapcast-mqtt
// controls streams, not media URLs. Their topics are reported as unknown by the
// router.
package speakers

import (
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
)

// DefaultSonosPrefix is sonos2mqtt's default topic prefix.
const DefaultSonosPrefix = "sonos"

// Sonos decodes and encodes sonos2mqtt messages under one prefix. It holds no
// mutable state and is safe for concurrent use.
type Sonos struct {
	prefix string
}

// NewSonos returns the sonos2mqtt adapter for prefix (empty means DefaultSonosPrefix).
func NewSonos(prefix string) *Sonos {
	if prefix == "" {
		prefix = DefaultSonosPrefix
	}
	return &Sonos{prefix: strings.TrimSuffix(prefix, "/")}
}

// Protocol returns devices.Sonos2MQTT.
func (s *Sonos) Protocol() devices.Protocol { return devices.Sonos2MQTT }

// Subscriptions returns <prefix>/#.
func (s *Sonos) Subscriptions() []string { return []string{s.prefix + "/#"} }

// levels returns the topic's levels after the prefix, or nil when topic is
// not under it or has an empty level.
func (s *Sonos) levels(topic string) []string {
	rest, ok := strings.CutPrefix(topic, s.prefix+"/")
	if !ok {
		return nil
	}
	levels := strings.Split(rest, "/")
	for _, l := range levels {
		if l == "" {
			return nil
		}
	}
	return levels
}

// ControlTopic returns the topic that commands for speaker (its UUID, or the
// name as sonos2mqtt cleans it: lower case, spaces as "-") are published to.
func (s *Sonos) ControlTopic(speaker string) string { return s.prefix + "/" + speaker + "/control" }

var _ devices.Adapter = (*Sonos)(nil)
