package web

import (
	"context"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/lights"
)

// Commander carries out light commands (the lights capability).
type Commander interface {
	// Command sends req to its devices and waits a few seconds for
	// confirmation; it returns one result per device.
	Command(ctx context.Context, req CommandRequest, u User) (CommandResult, error)
}

// The command types are the lights capability's.
type (
	// CommandRequest is the body of POST /api/v1/commands; see lights.CommandRequest.
	CommandRequest = lights.CommandRequest
	// CommandResult is the answer to POST /api/v1/commands; see lights.CommandResult.
	CommandResult = lights.CommandResult
	// DeviceResult is one device's result; see lights.DeviceResult.
	DeviceResult = lights.DeviceResult
	// CommandEvent is a command result for event streams; see lights.CommandEvent.
	CommandEvent = lights.CommandEvent
	// LightSet is the state a command asks for; see lights.LightSet.
	LightSet = lights.LightSet
)

// commandBody is the decoded body of POST /api/v1/commands with the
// policy's hooks.
type commandBody struct{ lights.CommandRequest }

func (c *commandBody) targets() (Target, string, devices.Kind) {
	return c.Target, "target", devices.Light
}
func (c *commandBody) setDevices(ds []devices.Device) { c.Devices = ds }

func (c *commandBody) validate() *apiError {
	if e := c.CommandRequest.Validate(); e != nil {
		return fieldError(e.Field, codeInvalid, "%s", e.Message)
	}
	return nil
}

func (c *commandBody) decodeInto() any { return &c.CommandRequest }

// LightsReporter shows what the lights capability knows of each light
// (override, faults) and reports burning hours and energy.
type LightsReporter interface {
	// LightStatus returns the override and faults of light id.
	LightStatus(id string) (lights.Status, bool)
	// Report returns hours on and kWh per light, day and zone.
	Report(ctx context.Context, req lights.ReportRequest) (lights.Report, error)
	// ClearOverride ends light id's override so its programme takes over at
	// once, and returns the light's status afterwards.
	ClearOverride(ctx context.Context, id string) (lights.Status, error)
	// Tonight returns the programmes running the given lights with
	// tonight's steps at their actual times.
	Tonight(ids []string, now time.Time) []lights.ProgrammeRun
}
