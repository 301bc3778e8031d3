package web

import (
	"github.com/hamlet-vn/hamlet/devices"
)

// The capabilities behind the control and report routes are hooks: small
// interfaces that other packages implement and the daemon passes in Options.
// A nil hook makes its routes answer 503 not_available, after authentication,
// role and zone checks, so the whole API and its policy exist from the start.
// Hooks receive requests already decoded, validated and zone-checked, with
// the targets resolved to devices; they must not check roles or zones again.
//
// A hook reports a client mistake by returning an error that wraps
// ErrInvalid (400, with the error's text as the message), ErrNotFound (404)
// or ErrConflict (409); any other error is a 500 whose cause is logged.

// Errors hooks wrap to choose the status.
var (
	ErrInvalid  = devices.ErrInvalid
	ErrNotFound = devices.ErrNotFound
	ErrConflict = devices.ErrConflict
)

// AuditSink receives audit entries that concern devices (commands,
// announcements, maintenance) after they are stored, for export as InfluxDB
// "command" points. Record must not block for long.
type AuditSink interface {
	Record(e AuditEntry)
}
