package web

import (
	"errors"
	"net/http"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/uptime"
)

// UptimeReporter answers the uptime and outage reports and keeps planned
// maintenance: the uptime capability (see uptime.Reporter).
type UptimeReporter = uptime.Reporter

// UptimeQuery selects an uptime or outage report (see uptime.Query).
type UptimeQuery = uptime.Query

// MaintenanceRequest is the body of POST /api/v1/maintenance (see
// uptime.MaintenanceRequest).
type MaintenanceRequest = uptime.MaintenanceRequest

// maintenanceBody is a MaintenanceRequest as the policy decodes, validates
// and resolves it.
type maintenanceBody struct {
	uptime.MaintenanceRequest
}

func (m *maintenanceBody) targets() (Target, string, devices.Kind) { return m.Target, "target", "" }
func (m *maintenanceBody) setDevices(ds []devices.Device)          { m.Devices = ds }

func (m *maintenanceBody) validate() *apiError {
	if err := m.Validate(); err != nil {
		var fe *devices.FieldError
		if errors.As(err, &fe) {
			return fieldError(fe.Field, codeInvalid, "%s", fe.Message)
		}
		return fieldError("", codeInvalid, "%s", err.Error())
	}
	return nil
}

// codeUpstream is the error code of a 502: a service the answer needs
// (InfluxDB) did not answer.
const codeUpstream = "upstream_unavailable"

// uptimeFailed answers an uptime hook's error: 502 naming the service that
// did not answer, else as any hook's error.
func (s *Server) uptimeFailed(w http.ResponseWriter, r *http.Request, c *call, err error) {
	var se *uptime.ServiceError
	if errors.As(err, &se) {
		s.opts.Logger.Warn("report source unavailable", "service", se.Service, "err", se.Err)
		writeError(w, errorf(http.StatusBadGateway, codeUpstream,
			"Không kết nối được %s / %s did not answer: %v", se.Service, se.Service, se.Err))
		return
	}
	var fe *devices.FieldError
	if errors.As(err, &fe) {
		writeError(w, fieldError(fe.Field, codeBadParam, "%s", fe.Message))
		return
	}
	s.hookFailed(w, r, c, err)
}
