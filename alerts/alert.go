// Package alerts tells the right person about a dark street or a dead camera,
// once. It owns the rules (conditions with a grace and a severity), the
// lifecycle (raised → acknowledged → cleared, one open alert per device and
// condition, flaps counted on the open alert rather than raised again) and the
// channels (a signed webhook with a durable outbox, a retained MQTT topic, a
// spoken announcement).
package alerts

import (
	"fmt"
	"time"
)

// Severity is how urgent an alert is.
type Severity string

// Severities, most urgent first.
const (
	Critical Severity = "critical"
	Warning  Severity = "warning"
	Info     Severity = "info"
)

// ParseSeverity returns the Severity named s, or an error naming s.
func ParseSeverity(s string) (Severity, error) {
	switch Severity(s) {
	case Critical, Warning, Info:
		return Severity(s), nil
	}
	return "", fmt.Errorf("mức cảnh báo %q không tồn tại / unknown severity %q (want critical, warning or info)", s, s)
}

func (s Severity) rank() int {
	switch s {
	case Critical:
		return 3
	case Warning:
		return 2
	case Info:
		return 1
	}
	return 0
}

// AtLeast reports whether s is as urgent as min or more.
func (s Severity) AtLeast(min Severity) bool { return s.rank() >= min.rank() }

// Condition is what is wrong.
type Condition string

// Conditions hamlet watches.
const (
	DeviceOffline        Condition = "device_offline"       // offline longer than its kind's grace
	LampDark             Condition = "lamp_dark"            // reports off while it should be on
	LampDayBurning       Condition = "lamp_day_burning"     // reports on in daylight when the programme says off
	LampNoPower          Condition = "lamp_no_power"        // on, but draws no power
	CameraNotStreaming   Condition = "camera_not_streaming" // fps 0 (or not streaming) for the grace
	AnnouncementFailed   Condition = "announcement_failed"  // a speaker did not play an announcement
	AnnouncementMissed   Condition = "announcement_missed"  // a scheduled announcement was missed (hamletd was down)
	TelemetrySpooling    Condition = "telemetry_spooling"   // InfluxDB unreachable, the spool grows
	TelemetryDropping    Condition = "telemetry_dropping"   // the spool dropped points
	DaemonUncleanRestart Condition = "daemon_restart"       // the daemon started after a crash or power cut
)

// State is where an alert is in its lifecycle.
type State string

// States. An acknowledged alert is still open; a cleared one is closed.
const (
	Active       State = "active"
	Acknowledged State = "acknowledged"
	Cleared      State = "cleared"
)

// Key identifies the one open alert per device and condition. Device is ""
// for alerts about the daemon itself.
type Key struct {
	Device    string
	Condition Condition
}

// Alert is one alert, from raised to cleared.
type Alert struct {
	ID        string    `json:"id"`
	Device    string    `json:"device,omitempty"`
	Zone      string    `json:"zone,omitempty"`
	Kind      string    `json:"kind,omitempty"`
	Condition Condition `json:"condition"`
	Severity  Severity  `json:"severity"`
	State     State     `json:"state"`
	// Message is what a person reads: Vietnamese first, then English.
	Message  string    `json:"message"`
	RaisedAt time.Time `json:"raised_at"`
	// AckedAt and AckedBy say who acknowledged it, and when.
	AckedAt *time.Time `json:"acked_at,omitempty"`
	AckedBy string     `json:"acked_by,omitempty"`
	// ClearedAt is when the condition ended for good.
	ClearedAt *time.Time `json:"cleared_at,omitempty"`
	// Flaps counts how often the condition ended and came back while the
	// alert stayed open.
	Flaps int `json:"flaps"`

	resolvingAt time.Time // the condition ended at; zero while it holds
}

// Key returns the alert's device and condition.
func (a Alert) Key() Key { return Key{Device: a.Device, Condition: a.Condition} }

// Problem is a condition that holds now, as a watcher or a capability sees it.
type Problem struct {
	Key
	Zone, Kind string
	Severity   Severity
	Message    string
}
