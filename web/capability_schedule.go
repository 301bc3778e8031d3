package web

import (
	"errors"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/schedule"
)

// Scheduler keeps light programmes and recurring announcements: the schedule
// capability (see schedule.Scheduler).
type Scheduler = schedule.Scheduler

// Schedule is a stored schedule (see schedule.Schedule).
type Schedule = schedule.Schedule

// ScheduleRequest is the body of POST and PUT /api/v1/schedules (see
// schedule.Request). The programme is the Scheduler's to validate.
type ScheduleRequest = schedule.Request

// scheduleBody is a ScheduleRequest as the policy decodes, validates and
// resolves it: light schedules target lights, announcements speakers.
type scheduleBody struct {
	schedule.Request
}

func (s *scheduleBody) targets() (Target, string, devices.Kind) {
	return s.Targets, "targets", s.DeviceKind()
}
func (s *scheduleBody) setDevices(ds []devices.Device) { s.Devices = ds }

func (s *scheduleBody) validate() *apiError {
	if err := s.Validate(); err != nil {
		var fe *devices.FieldError
		if errors.As(err, &fe) {
			return fieldError(fe.Field, codeInvalid, "%s", fe.Message)
		}
		return fieldError("", codeInvalid, "%s", err.Error())
	}
	return nil
}
