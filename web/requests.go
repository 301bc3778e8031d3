package web

import (
	"errors"
	"net/http"

	"github.com/hamlet-vn/hamlet/devices"
)

// targeted is a request body whose target the policy resolves and
// zone-checks before the handler runs.
type targeted interface {
	// targets returns the target, its field name and the one kind the
	// request acts on ("" for any).
	targets() (t Target, field string, kind devices.Kind)
	// setDevices receives the resolved, allowed devices.
	setDevices(ds []devices.Device)
}

// hookError maps a hook's error to an apiError; ok is false for an internal error.
func hookError(err error) (*apiError, bool) {
	var fe *devices.FieldError
	switch {
	case errors.As(err, &fe):
		return fieldError(fe.Field, codeInvalid, "%s", fe.Message), true
	case errors.Is(err, ErrInvalid):
		return errorf(http.StatusBadRequest, codeInvalid, "%s", err.Error()), true
	case errors.Is(err, ErrNotFound):
		return errorf(http.StatusNotFound, codeNotFound, "Không tìm thấy / %s", err.Error()), true
	case errors.Is(err, ErrConflict):
		return errorf(http.StatusConflict, codeConflict, "%s", err.Error()), true
	}
	return errInternal(), false
}

// hookFailed answers a hook's error, logging internal ones, and audits the
// failure on state-changing routes.
func (s *Server) hookFailed(w http.ResponseWriter, r *http.Request, c *call, err error) {
	e, known := hookError(err)
	if !known {
		s.opts.Logger.Error("capability failed", "route", infoFrom(r.Context()).route, "user", c.user.Name, "err", err)
	}
	if c.action != "" {
		s.record(r, c, AuditEntry{Result: "failed", Error: err.Error()})
	}
	writeError(w, e)
}
