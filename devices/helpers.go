package devices

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// Bool returns a pointer to v, for the optional fields of the states.
func Bool(v bool) *bool { return &v }

// Int returns a pointer to v, for the optional fields of the states and commands.
func Int(v int) *int { return &v }

// String returns a pointer to v, for the optional fields of the states.
func String(v string) *string { return &v }

// PlayingUnknown is the SpeakerState.Playing value of a speaker that reports
// it is playing without naming what (e.g. a Sonos transport state alone).
const PlayingUnknown = "?"

// CheckSize returns a ReasonTooLarge *DecodeError when payload is larger than
// MaxPayload, else nil.
func CheckSize(payload []byte) *DecodeError {
	if len(payload) > MaxPayload {
		return Errorf(ReasonTooLarge, "payload is %d bytes, more than the %d accepted", len(payload), MaxPayload)
	}
	return nil
}

// CheckText returns a *DecodeError when payload is too large (ReasonTooLarge)
// or is not valid UTF-8 text (ReasonBinary), else nil. Decoders call it first
// on topics that carry text or JSON.
func CheckText(payload []byte) *DecodeError {
	if err := CheckSize(payload); err != nil {
		return err
	}
	if !utf8.Valid(payload) {
		return Errorf(ReasonBinary, "payload of %d bytes is not UTF-8 text", len(payload))
	}
	return nil
}

// Percent scales v from the range 0–top to 0–100, rounding to the nearest
// integer, and reports whether v was inside 0–top (and finite). It is used for
// Zigbee2MQTT's 0–254 and Home Assistant's 0–255 brightness.
func Percent(v, top float64) (int, bool) {
	if math.IsNaN(v) || v < 0 || v > top || top <= 0 {
		return 0, false
	}
	return int(math.Round(v * 100 / top)), true
}

// FromPercent scales p (0–100) to the range 0–top, rounding to the nearest
// integer; p outside 0–100 is clamped.
func FromPercent(p, top int) int {
	p = min(max(p, 0), 100)
	return int(math.Round(float64(p) * float64(top) / 100))
}

// Quote renders a payload or field value for an error Detail: quoted, and
// cut to 40 characters so that a hostile payload cannot flood the logs.
func Quote(s string) string {
	const limit = 40
	if utf8.RuneCountInString(s) > limit {
		r := []rune(s)
		s = string(r[:limit]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// CheckTopic returns an error when topic cannot be published to: empty,
// containing the wildcards + or #, or a NUL character. Encoders call it on the
// topics they build from configured or discovered device addresses.
func CheckTopic(topic string) error {
	switch {
	case topic == "":
		return fmt.Errorf("empty topic")
	case strings.ContainsAny(topic, "+#\x00"):
		return fmt.Errorf("topic %s contains a wildcard (+ or #) or NUL; it cannot be published to", Quote(topic))
	case !utf8.ValidString(topic):
		return fmt.Errorf("topic %s is not UTF-8", Quote(topic))
	}
	return nil
}
