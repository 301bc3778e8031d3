package lights

import (
	"context"
	"regexp"
	"time"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/devices"
)

// Commander carries out light commands; *Service implements it.
type Commander interface {
	// Command sends req to its devices and waits at most the confirm timeout
	// for confirmation; it returns one result per device.
	Command(ctx context.Context, req CommandRequest, u accounts.User) (CommandResult, error)
}

// Statuses of a command for one device.
const (
	StatusConfirmed = "confirmed" // the device reported the state asked for
	StatusPending   = "pending"   // sent, not confirmed yet; the result follows as an event
	StatusOffline   = "offline"   // not sent; kept as desired state and sent when the light returns
	StatusTimeout   = "timeout"   // sent, never confirmed
	StatusRejected  = "rejected"  // the firmware said no, or the light cannot dim
)

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
	// Sent reports that the result already went to Options.Events when it
	// was decided, while the command waited: whoever sends the response's
	// results to event streams skips it.
	Sent bool `json:"-"`
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

// MaxHold bounds a command's hold duration.
const MaxHold = 7 * 24 * time.Hour

// Holds a command may ask for besides a duration.
const (
	HoldNext = "next" // until the programme's next step (the default)
	HoldNone = "none" // send without holding against the programme
)

// CommandRequest is the body of POST /api/v1/commands.
type CommandRequest struct {
	// ID, when the client gives one, makes a retry idempotent: the same id
	// with the same request returns the first command's results instead of
	// sending again. 1–64 letters, digits, '.', '_' or '-'.
	ID     string         `json:"id,omitempty"`
	Target devices.Target `json:"target"`
	Set    *LightSet      `json:"set"`
	// Hold is how long the new state holds against the programme: "" or
	// "next" (until the programme's next step, the default), "none" (no
	// hold) or a duration such as "2h" up to 168h.
	Hold string `json:"hold,omitempty"`
	// HoldFor is Hold parsed; zero for "", "next" and "none".
	HoldFor time.Duration `json:"-"`
	// Devices are the target's lights, resolved and zone-checked by the caller.
	Devices []devices.Device `json:"-"`
}

// LightSet is the light state a command asks for; at least one field is set.
type LightSet struct {
	On         *bool `json:"on,omitempty"`
	Brightness *int  `json:"brightness,omitempty"` // 0–100
}

var commandID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// Validate checks the request's own fields (not its devices) and sets
// HoldFor. Messages are Vietnamese first, then English.
func (c *CommandRequest) Validate() *devices.FieldError {
	if e := c.Target.Check("target"); e != nil {
		return e
	}
	if c.ID != "" && !commandID.MatchString(c.ID) {
		return devices.Invalid("id", "Mã lệnh không hợp lệ / id must be 1-64 letters, digits, '.', '_' or '-', not %q", c.ID)
	}
	if c.Set == nil || (c.Set.On == nil && c.Set.Brightness == nil) {
		return devices.Invalid("set", "Thiếu trạng thái cần đặt / \"set\" needs \"on\" and/or \"brightness\"")
	}
	if b := c.Set.Brightness; b != nil && (*b < 0 || *b > 100) {
		return devices.Invalid("set.brightness", "Độ sáng phải từ 0 đến 100 / set.brightness must be 0–100, not %d", *b)
	}
	c.HoldFor = 0
	switch c.Hold {
	case "", HoldNext, HoldNone:
	default:
		d, err := time.ParseDuration(c.Hold)
		if err != nil || d <= 0 || d > MaxHold {
			return devices.Invalid("hold",
				"Thời gian giữ không hợp lệ / hold must be \"next\", \"none\" or a duration such as \"2h\" up to 168h, not %q", c.Hold)
		}
		c.HoldFor = d
	}
	return nil
}
