package web

import (
	"context"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// Commander carries out light commands (the lights capability).
type Commander interface {
	// Command sends req to its devices and waits a few seconds for
	// confirmation; it returns one result per device.
	Command(ctx context.Context, req CommandRequest, u User) (CommandResult, error)
}

// CommandResult is the answer to POST /api/v1/commands.
type CommandResult struct {
	ID      string         `json:"id"`
	Results []DeviceResult `json:"results"`
}

// DeviceResult is what became of a command for one device. Status is
// confirmed, pending, offline, timeout or rejected.
type DeviceResult struct {
	Device string `json:"device"`
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

// CommandEvent is a command result sent to event streams (event "command").
type CommandEvent struct {
	ID     string    `json:"id"`
	Device string    `json:"device"`
	Zone   string    `json:"zone"`
	Status string    `json:"status"`
	Error  string    `json:"error,omitempty"`
	User   string    `json:"user,omitempty"`
	At     time.Time `json:"time"`
}

// maxHold bounds a command's hold duration.
const maxHold = 7 * 24 * time.Hour

// CommandRequest is the body of POST /api/v1/commands.
type CommandRequest struct {
	Target Target    `json:"target"`
	Set    *LightSet `json:"set"`
	// Hold is how long the new state holds against the schedule: "" (until
	// the schedule's next step, the default), "next" (the same, explicitly)
	// or a duration such as "2h".
	Hold string `json:"hold,omitempty"`
	// HoldFor is Hold parsed; zero for "" and "next".
	HoldFor time.Duration `json:"-"`
	// Devices are the target's lights, resolved and zone-checked by the server.
	Devices []devices.Device `json:"-"`
}

// LightSet is the light state a command asks for; at least one field is set.
type LightSet struct {
	On         *bool `json:"on,omitempty"`
	Brightness *int  `json:"brightness,omitempty"` // 0–100
}

func (c *CommandRequest) targets() (Target, string, devices.Kind) {
	return c.Target, "target", devices.Light
}
func (c *CommandRequest) setDevices(ds []devices.Device) { c.Devices = ds }

func (c *CommandRequest) validate() *apiError {
	if e := checkTarget(c.Target, "target"); e != nil {
		return e
	}
	if c.Set == nil || (c.Set.On == nil && c.Set.Brightness == nil) {
		return fieldError("set", codeInvalid, "Thiếu trạng thái cần đặt / \"set\" needs \"on\" and/or \"brightness\"")
	}
	if b := c.Set.Brightness; b != nil && (*b < 0 || *b > 100) {
		return fieldError("set.brightness", codeInvalid, "Độ sáng phải từ 0 đến 100 / set.brightness must be 0–100, not %d", *b)
	}
	switch c.Hold {
	case "", "next":
	default:
		d, err := time.ParseDuration(c.Hold)
		if err != nil || d <= 0 || d > maxHold {
			return fieldError("hold", codeInvalid,
				"Thời gian giữ không hợp lệ / hold must be \"next\" or a duration such as \"2h\" up to 168h, not %q", c.Hold)
		}
		c.HoldFor = d
	}
	return nil
}
