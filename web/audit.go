package web

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/store"
)

// AuditEntry is one audited action, as stored and as handed to the AuditSink.
type AuditEntry struct {
	At     time.Time
	User   string // user name, "token:<name>", or the name tried at a failed sign-in
	Source string // client address
	Action string // login, logout, command, user.create, token.revoke, ...
	Target string // e.g. "user:an", "token:3", "devices:den-01,den-02"
	Params any    // the request's parameters, never a secret
	Result string // ok, failed, denied, throttled, not_available, or a command result
	Error  string // why it did not succeed; "" when it did
	// Ref is the id of what the action created (a command or announcement id).
	Ref string
	// Devices are the devices acted on, each with its own result, when the
	// action reached them (commands, announcements, maintenance).
	Devices []AuditDevice
}

// AuditDevice is the outcome of an audited action for one device.
type AuditDevice struct {
	Device devices.Device
	Result string // confirmed, pending, offline, timeout, rejected, ok
	Error  string
}

// CommandAction returns the action as InfluxDB's small "action" tag
// vocabulary: set (light commands), play and stop (announcements),
// maintenance; else the action itself. The daemon's AuditSink writes it
// into telemetry "command" points, one per device in Devices.
func (e AuditEntry) CommandAction() string {
	switch e.Action {
	case "command":
		return "set"
	case "announcement.create":
		return "play"
	case "announcement.cancel":
		return "stop"
	case "maintenance.create":
		return "maintenance"
	}
	return e.Action
}

// auditParamser is a request body that says what of it may be audited
// (passwords may not).
type auditParamser interface {
	auditParams() any
}

// record audits the action of the current route for call c. e carries the
// result, error and, when known, Ref, Params and Devices; record fills the
// time, user, source, action, target and, when e.Params is nil, the request
// body's auditable parameters. A failure to store is logged: the action has
// happened and its answer is still sent.
func (s *Server) record(r *http.Request, c *call, e AuditEntry) {
	if e.Params == nil && c.body != nil {
		if ap, ok := c.body.(auditParamser); ok {
			e.Params = ap.auditParams()
		} else {
			e.Params = c.body
		}
	}
	e.At, e.User, e.Source, e.Action = s.opts.Now(), c.user.Name, s.clientAddr(r), c.action
	if e.Target == "" {
		e.Target = auditTarget(r, c)
	}
	s.audit(r.Context(), e, auditZones(c, e))
}

// auditZones are the zones an entry concerns, which decide who may read it:
// those of the resolved targets, of the device {id} (and the zone it is
// assigned to), of the resource {id}, and of the devices reached.
func auditZones(c *call, e AuditEntry) []string {
	zones := slices.Clone(c.zones)
	for _, d := range c.devices {
		zones = append(zones, d.Zone)
	}
	if c.device.ID != "" {
		zones = append(zones, c.device.Zone)
		if as, ok := c.body.(*DeviceAssignment); ok && as.Zone != "" {
			zones = append(zones, as.Zone)
		}
	}
	for _, d := range e.Devices {
		zones = append(zones, d.Device.Zone)
	}
	return zones
}

// audit stores e with the zones it concerns and hands it to the sink when
// it names devices.
func (s *Server) audit(ctx context.Context, e AuditEntry, zones []string) {
	p := "{}"
	if e.Params != nil {
		if b, err := json.Marshal(e.Params); err == nil {
			p = string(b)
		}
	}
	if _, err := s.opts.Store.AppendAudit(context.WithoutCancel(ctx), store.AuditEntry{At: e.At, User: e.User,
		Source: e.Source, Action: e.Action, Target: e.Target, Params: p, Result: e.Result, Error: e.Error, Zones: zones}); err != nil {
		s.opts.Logger.Error("audit write failed", "action", e.Action, "user", e.User, "err", err)
	}
	if len(e.Devices) > 0 && s.opts.AuditSink != nil {
		s.opts.AuditSink.Record(e)
	}
}

// auditTarget names what a route acted on: the resolved devices, or the
// resource in its path ("user:an", "token:3").
func auditTarget(r *http.Request, c *call) string {
	if c.target != "" {
		return c.target
	}
	noun, _, _ := strings.Cut(c.action, ".")
	for _, key := range []string{"name", "id"} {
		if v := r.PathValue(key); v != "" {
			return noun + ":" + v
		}
	}
	return ""
}
