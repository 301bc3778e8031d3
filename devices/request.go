package devices

import (
	"errors"
	"fmt"
)

// Errors a capability (lights, announce, schedule, uptime) wraps to tell its
// caller what kind of mistake a request holds. The HTTP layer maps them to
// 400, 404 and 409; the command line prints them.
var (
	ErrInvalid  = errors.New("invalid request")
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
)

// FieldError is a client mistake in one field of a request. Message is what
// a person reads: Vietnamese first, then English. It wraps ErrInvalid.
type FieldError struct {
	Field   string // the field's path in the request, e.g. "set.brightness"
	Message string
}

// Invalid returns a *FieldError for field with a formatted message.
func Invalid(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}

func (e *FieldError) Error() string { return e.Message }

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *FieldError) Unwrap() error { return ErrInvalid }

// MaxTargets bounds the ids listed in one target.
const MaxTargets = 1000

// Target names the devices a command, announcement or schedule applies to:
// exactly one of Devices, Zones or All. Kind narrows Zones and All to one
// kind; a route that acts on one kind sets it when it is empty.
type Target struct {
	Devices []string `json:"devices,omitempty"`
	Zones   []string `json:"zones,omitempty"`
	All     bool     `json:"all,omitempty"`
	Kind    string   `json:"kind,omitempty"`
}

// Check validates the target's shape; field is its name in the request.
func (t Target) Check(field string) *FieldError {
	n := 0
	if len(t.Devices) > 0 {
		n++
	}
	if len(t.Zones) > 0 {
		n++
	}
	if t.All {
		n++
	}
	if n != 1 {
		return Invalid(field,
			"Cần đúng một trong \"devices\", \"zones\" hoặc \"all\" / %s needs exactly one of \"devices\": [...], \"zones\": [...] or \"all\": true", field)
	}
	if len(t.Devices)+len(t.Zones) > MaxTargets {
		return Invalid(field, "Quá nhiều mục / %s lists more than %d ids", field, MaxTargets)
	}
	if t.Kind != "" {
		if _, err := ParseKind(t.Kind); err != nil {
			return Invalid(field+".kind", "Loại thiết bị không hợp lệ / %s.kind: %v", field, err)
		}
	}
	return nil
}
