package devices

import "time"

// Availability is whether a device is reachable.
type Availability string

// Availability values. Unknown is used while the daemon or its broker link is
// down, or before anything was heard: it is neither up nor down.
const (
	Unknown Availability = "unknown"
	Online  Availability = "online"
	Offline Availability = "offline"
)

// Cause says why availability changed.
type Cause string

// Causes of availability transitions.
const (
	CauseLWT         Cause = "lwt"          // the device's (or its bridge's) availability topic, including Last Will
	CauseTimeout     Cause = "timeout"      // silent for longer than the kind's availability timeout
	CauseFrigate     Cause = "frigate"      // Frigate said the camera (or all its cameras) stopped
	CauseDaemonStart Cause = "daemon-start" // the daemon (re)started or its broker link came back
	CauseActivity    Cause = "activity"     // a message was heard from a device believed offline
	CauseClock       Cause = "clock"        // what happened while the wall clock was not plausible is not known
)

// Report is what one MQTT message says about one device. A decoder returns
// zero or more Reports per message; fields that the message does not carry
// are left nil or empty.
type Report struct {
	// Device identifies the device by the protocol's own address (Protocol and
	// Key), since decoders do not know hamlet's device ids. The registry maps
	// it to a Device.
	Protocol Protocol
	Key      string
	// Channel is the output of a multi-output controller the report's
	// state, metrics, events and ack are about, in the firmware's words
	// (see Device.Channel); empty when the message names no output
	// (availability, the controller's own metrics). Availability always
	// applies to every channel of the controller.
	Channel string
	// Primary marks a Channel that is the controller's first output: a
	// device declared without a channel receives the report when no device
	// has this Channel exactly.
	Primary bool
	// Time is the device's own timestamp when the message carries one, else zero.
	// Decoders set TimeLocal when the timestamp had no offset (Tasmota's local time):
	// the telemetry stage then reads it in the area's timezone.
	Time      time.Time
	TimeLocal bool
	// Availability is set when the message is an availability signal.
	Availability Availability
	// AvailabilityAll marks an availability that applies to every device of the
	// bridge (Frigate's frigate/available): Key is then empty.
	AvailabilityAll bool
	// Light, Speaker and Camera carry reported state (possibly partial).
	Light   *LightState
	Speaker *SpeakerState
	Camera  *CameraState
	// Metrics are numeric telemetry with snake_case keys carrying units:
	// power_w, energy_kwh, energy_today_kwh, voltage_v, current_a, rssi_dbm,
	// uptime_s, fps, ...
	Metrics map[string]float64
	// Events are things that happened (motion, played, ...).
	Events []Event
	// Ack answers a command.
	Ack *Ack
	// Discovery announces, updates or removes a device.
	Discovery *Discovery
	// Kind is the device kind when the message tells it (discovery, native info), else empty.
	Kind Kind
}

// LightState is a light's state, normalised. Nil fields were not reported.
type LightState struct {
	On         *bool `json:"on,omitempty"`
	Brightness *int  `json:"brightness,omitempty"` // 0–100
}

// SpeakerState is a speaker's state.
type SpeakerState struct {
	Playing *string `json:"playing,omitempty"` // announcement id, or "" when idle
	Volume  *int    `json:"volume,omitempty"`  // 0–100
}

// CameraState is a camera's state.
type CameraState struct {
	Recording *bool `json:"recording,omitempty"`
	Detecting *bool `json:"detecting,omitempty"`
	Streaming *bool `json:"streaming,omitempty"`
	Motion    *bool `json:"motion,omitempty"`
}

// Event is something a device reports that happened.
type Event struct {
	Type string    // motion, played, play_failed, fault, button, ...
	Ref  string    // what it refers to (announcement id, Frigate event id)
	Time time.Time // zero when the device did not say
}

// Ack is a device's answer to a command.
type Ack struct {
	ID    string // the command id
	OK    bool
	Error string
}

// Discovery is a device announcing (or withdrawing) itself.
type Discovery struct {
	Remove   bool   // the device's discovery record was cleared
	ID       string // a stable id derived from the device's unique id
	Name     string
	Model    string
	Firmware string
	Zone     string // a zone the device suggests (native info); the installer decides
	// Topic and FullTopic are the protocol address to use for the device.
	Topic     string
	FullTopic string
	// Extra is protocol-specific data the adapter needs later (e.g. HA
	// command topics, availability payloads), kept as strings.
	Extra map[string]string
}
