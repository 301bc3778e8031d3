// Package frigate is hamlet's adapter for the Frigate NVR: Frigate's own
// availability (frigate/available, which covers all its cameras), per-camera
// motion, stream status and the recording and detection toggles, detection
// events and reviews, and per-camera frame rates from frigate/stats. A
// camera's key is its Frigate camera name. Cameras are read-only: Encode
// refuses every command. The adapter keeps no state.
package frigate

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hamlet-vn/hamlet/devices"
)

// DefaultPrefix is Frigate's default MQTT topic prefix.
const DefaultPrefix = "frigate"

// Adapter decodes one Frigate instance's messages. It is stateless and safe
// for concurrent use.
type Adapter struct {
	prefix string
}

// New returns an adapter for the Frigate whose mqtt.topic_prefix is prefix.
// If prefix is empty, DefaultPrefix is used. New has no side effects.
func New(prefix string) *Adapter {
	prefix = strings.TrimSuffix(prefix, "/")
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return &Adapter{prefix: prefix}
}

// Protocol returns devices.Frigate.
func (a *Adapter) Protocol() devices.Protocol { return devices.Frigate }

// Subscriptions returns only the topics hamlet uses. "<prefix>/#" would also
// bring every object count, which hamlet ignores. The snapshot JPEGs
// (<prefix>/<camera>/<object>/snapshot) are subscribed for the phone UI's
// latest-snapshot keeper; Decode refuses them as devices.ReasonBinary and
// ingest hands them on.
func (a *Adapter) Subscriptions() []string {
	p := a.prefix + "/"
	return []string{p + "available", p + "events", p + "reviews", p + "stats",
		p + "+/motion", p + "+/status/+", p + "+/recordings/state", p + "+/detect/state", p + "+/+/snapshot"}
}

// Decode turns one message into reports. Topics of this Frigate that hamlet
// does not use (object counts, snapshots, PTZ, audio, toggles other than
// recordings and detect, commands on …/set) are devices.ReasonIgnored (a
// binary snapshot devices.ReasonBinary); topics outside the prefix are
// devices.ReasonUnknownTopic.
func (a *Adapter) Decode(topic string, payload []byte, retained bool) ([]devices.Report, error) {
	reps, err := a.decode(topic, payload)
	if err != nil {
		return nil, err
	}
	return reps, nil
}

func (a *Adapter) decode(topic string, payload []byte) ([]devices.Report, *devices.DecodeError) {
	if err := devices.CheckSize(payload); err != nil {
		return nil, err
	}
	rest, ok := strings.CutPrefix(topic, a.prefix+"/")
	if !ok || rest == "" {
		return nil, devices.Errorf(devices.ReasonUnknownTopic, "%s is not under the Frigate prefix %s/", topic, a.prefix)
	}
	parts := strings.Split(rest, "/")
	if parts[len(parts)-1] == "snapshot" && !utf8.Valid(payload) {
		return nil, devices.Errorf(devices.ReasonBinary, "%s: snapshot JPEG of %d bytes; images are not decoded", topic, len(payload))
	}
	if err := devices.CheckText(payload); err != nil {
		return nil, err
	}
	if len(parts) == 1 {
		switch parts[0] {
		case "available":
			return available(topic, payload)
		case "events":
			return at(topic)(objectEvent(payload))
		case "reviews":
			return at(topic)(review(payload))
		case "stats":
			return at(topic)(stats(payload))
		}
		return nil, devices.Errorf(devices.ReasonIgnored, "%s: %s messages are not used by hamlet", topic, parts[0])
	}
	switch parts[0] {
	case "profile", "notifications", "tracked_object_update", "triggers", "camera_activity", "onConnect", "restart", "birdseye":
		return nil, devices.Errorf(devices.ReasonIgnored, "%s: %s messages are not used by hamlet", topic, parts[0])
	}
	if parts[0] == "" {
		return nil, devices.Errorf(devices.ReasonUnknownTopic, "%s: empty camera name", topic)
	}
	return camera(topic, parts[0], parts[1:], payload)
}

// at returns a function that prefixes a decode error's detail with topic.
func at(topic string) func([]devices.Report, *devices.DecodeError) ([]devices.Report, *devices.DecodeError) {
	return func(r []devices.Report, err *devices.DecodeError) ([]devices.Report, *devices.DecodeError) {
		if err != nil {
			return nil, &devices.DecodeError{Reason: err.Reason, Detail: topic + ": " + err.Detail}
		}
		return r, nil
	}
}

// available decodes <prefix>/available: online, or offline (the will) and
// stopped (a clean shutdown), for every camera of this Frigate.
func available(topic string, payload []byte) ([]devices.Report, *devices.DecodeError) {
	var av devices.Availability
	switch text := strings.TrimSpace(string(payload)); text {
	case "online":
		av = devices.Online
	case "offline", "stopped":
		av = devices.Offline
	case "":
		return nil, devices.Errorf(devices.ReasonEmpty, "%s: empty payload (cleared), want online, offline or stopped", topic)
	default:
		return nil, devices.Errorf(devices.ReasonWrongType, "%s: %s is not online, offline or stopped", topic, devices.Quote(text))
	}
	return []devices.Report{{Protocol: devices.Frigate, Availability: av, AvailabilityAll: true}}, nil
}

// Encode refuses every command: cameras are read-only in hamlet for now.
// The error wraps errors.ErrUnsupported and names what was asked.
func (a *Adapter) Encode(cmd devices.Command) ([]devices.Message, error) {
	what := "nothing"
	switch {
	case cmd.Light != nil:
		what = "set a light state"
	case cmd.Play != nil:
		what = "play audio"
	case cmd.Stop:
		what = "stop playing"
	case cmd.Volume != nil:
		what = "set the volume"
	}
	return nil, fmt.Errorf("frigate: command %q for camera %q asks to %s, but Frigate cameras are read-only in hamlet: %w", cmd.ID, cmd.Device.Topic, what, errors.ErrUnsupported)
}

var _ devices.Adapter = (*Adapter)(nil)
