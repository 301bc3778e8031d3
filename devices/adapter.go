package devices

import "fmt"

// Adapter translates one protocol: MQTT messages in, Reports out; Commands in,
// MQTT messages out. Decode and Encode are pure apart from the adapter's own
// table of known topics; they never block and never panic on any input.
type Adapter interface {
	// Protocol names the protocol the adapter speaks.
	Protocol() Protocol
	// Subscriptions are the topic filters the adapter needs.
	Subscriptions() []string
	// Decode turns one message into reports. It returns a *DecodeError for
	// input it cannot or will not use; Reports returned with a nil error may be empty.
	Decode(topic string, payload []byte, retained bool) ([]Report, error)
	// Encode turns a command into the messages to publish (never retained).
	Encode(cmd Command) ([]Message, error)
}

// RetainedScanner is an adapter some of whose filters carry nothing worth
// reading live, only their retained messages: Tasmota's command topics,
// where a retained command makes a lamp switch by itself (ghost switching).
// Those filters are subscribed for a short scan on every connection and
// periodically, not kept: hamlet would otherwise receive its own commands
// back, as many messages again as it sends.
type RetainedScanner interface {
	// RetainedOnly reports whether filter, one of Subscriptions, is
	// subscribed only to scan its retained messages.
	RetainedOnly(filter string) bool
}

// StateQuerier is an adapter whose devices can be asked to publish their
// current state. Those are the protocols that do not keep a device's state
// retained (Tasmota, Shelly, Zigbee2MQTT): a light that connected before
// hamletd started is otherwise shown without a state until its next
// periodic report (Tasmota's TelePeriod: 5 minutes by default).
type StateQuerier interface {
	// QueryState returns the messages (never retained) asking d to publish
	// its state; they change nothing on the device.
	QueryState(d Device) ([]Message, error)
}

// Reason classifies why a message was not used; it is a metrics label.
type Reason string

// Reasons for not using a message.
const (
	ReasonMalformed    Reason = "malformed"     // not valid JSON or not the expected syntax
	ReasonWrongType    Reason = "wrong_type"    // a field has the wrong type or is out of range
	ReasonMissingField Reason = "missing_field" // a required field is absent
	ReasonEmpty        Reason = "empty"         // an empty payload where one is needed
	ReasonBinary       Reason = "binary"        // binary data (snapshots, images)
	ReasonUnknownTopic Reason = "unknown_topic" // a topic the adapter does not handle
	ReasonTooLarge     Reason = "too_large"     // larger than MaxPayload
	ReasonIgnored      Reason = "ignored"       // understood, deliberately not used (e.g. our own command topic)
)

// MaxPayload is the largest payload any decoder accepts.
const MaxPayload = 256 << 10

// DecodeError says why a message was not used.
type DecodeError struct {
	Reason Reason
	Detail string // a precise, human message: which field, which value
}

func (e *DecodeError) Error() string { return fmt.Sprintf("%s: %s", e.Reason, e.Detail) }

// Errorf returns a *DecodeError with the given reason and formatted detail.
func Errorf(r Reason, format string, args ...any) *DecodeError {
	return &DecodeError{Reason: r, Detail: fmt.Sprintf(format, args...)}
}
