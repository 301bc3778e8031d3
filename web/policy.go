package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// zoneRule says how a route's zone check is made. Rules combine as flags.
type zoneRule uint8

const (
	// zoneNone: no zone check. Lists are still filtered to the caller's zones.
	zoneNone zoneRule = 0
	// zoneDevice: the device {id} must exist (else 404) and be in the caller's zones.
	zoneDevice zoneRule = 1 << iota
	// zoneTargets: every device the body's target resolves to must be in the
	// caller's zones; otherwise the whole request is refused, naming the devices.
	zoneTargets
	// zoneQuery: the zone and device query parameters, when given, must be
	// known and in the caller's zones.
	zoneQuery
	// zoneResource: the resource {id} (found through route.zonesOf) must lie
	// entirely in the caller's zones.
	zoneResource
	// zoneSelf: {name} must be the caller, unless the caller is an admin.
	zoneSelf
)

// writeTimeout bounds writing any response but an event stream.
const writeTimeout = 60 * time.Second

// route is one entry of the route table: the pattern, the policy that guards
// it, and its handler. The policy is enforced by guard and nowhere else.
type route struct {
	method, path string
	role         Role     // the lowest role allowed; rolePublic for none
	zone         zoneRule // how zones are checked
	action       string   // the audit action of a state-changing route; "" for reads
	needs        string   // the capability (hook) the route needs; "" for none
	body         func() any
	maxBody      int64 // body limit; 0 means maxJSONBody
	stream       bool  // a long-lived response: no write deadline
	zonesOf      func(ctx context.Context, r *http.Request) ([]string, error)
	handle       func(w http.ResponseWriter, r *http.Request, c *call)
}

// pattern is the ServeMux pattern, also the route's metric and log label.
func (rt *route) pattern() string { return rt.method + " " + rt.path }

// call is what guard hands the handler: the caller and what the policy
// already decoded and resolved.
type call struct {
	user    User             // the caller; zero on public routes
	body    any              // the decoded body, when the route has one
	device  devices.Status   // the device {id} on zoneDevice routes
	devices []devices.Device // the resolved targets on zoneTargets routes
	target  string           // the audit target, when the handler knows better
	zones   []string         // the zones of the resource {id} on zoneResource routes
	action  string           // the route's audit action
}

// guard wraps a route's handler in its policy: authentication, minimum role,
// body decoding, zone checks, capability, in that order. Refusals of
// state-changing actions by signed-in callers are audited here.
func (s *Server) guard(rt route) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		info := infoFrom(r.Context())
		info.route = rt.pattern()
		limit := rt.maxBody
		if limit == 0 {
			limit = maxJSONBody
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if !rt.stream {
			http.NewResponseController(w).SetWriteDeadline(time.Now().Add(writeTimeout))
		}
		c := &call{action: rt.action}
		if e := s.authorize(w, r, &rt, c); e != nil {
			if c.user.Name != "" && rt.action != "" && (e.Status == http.StatusForbidden || e.Status == http.StatusServiceUnavailable) {
				result := "denied"
				if e.Status == http.StatusServiceUnavailable {
					result = "not_available"
				}
				s.record(r, c, AuditEntry{Result: result, Error: e.Message})
			}
			writeError(w, e)
			return
		}
		rt.handle(w, r, c)
	}
}

// authorize runs the policy of rt for r, filling c; it returns the refusal.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, rt *route, c *call) *apiError {
	if rt.role != rolePublic || rt.needs == "accounts" {
		if s.opts.Store == nil {
			return errNotAvailable("accounts")
		}
	}
	if rt.role != rolePublic {
		u, e := s.authenticate(w, r)
		if e != nil {
			return e
		}
		c.user = u
		infoFrom(r.Context()).user = u.Name
		if !u.Role.AtLeast(rt.role) {
			return errorf(http.StatusForbidden, codeForbidden,
				"Không có quyền: cần vai trò %s / forbidden: this needs the %s role (you are %s)", rt.role.Vietnamese(), rt.role, u.Role)
		}
		if rt.zone&zoneSelf != 0 && u.Role != RoleAdmin && (u.Auth != "session" || !strings.EqualFold(r.PathValue("name"), u.Name)) {
			return errorf(http.StatusForbidden, codeForbidden,
				"Chỉ quản trị viên hoặc chính người dùng / forbidden: only an admin or the user themself may do this")
		}
	}
	if rt.body != nil {
		c.body = rt.body()
		if e := decodeJSON(r, c.body); e != nil {
			return e
		}
	}
	if e := s.checkZones(r, rt, c); e != nil {
		return e
	}
	if !s.available(rt.needs) {
		return errNotAvailable(rt.needs)
	}
	if rt.zone&zoneResource != 0 {
		zones, err := rt.zonesOf(r.Context(), r)
		if err != nil {
			e, ok := hookError(err)
			if !ok {
				s.opts.Logger.Error("zone lookup failed", "route", rt.pattern(), "err", err)
			}
			return e
		}
		c.zones = zones
		var out []string
		for _, z := range zones {
			if !c.user.MayZone(z) {
				out = append(out, z)
			}
		}
		if len(out) > 0 {
			return errorf(http.StatusForbidden, codeForbiddenZone,
				"Không có quyền với khu vực %s / forbidden: this also concerns zones outside yours: %s",
				strings.Join(out, ", "), strings.Join(out, ", "))
		}
	}
	return nil
}

// checkZones applies the device, target and query zone rules.
func (s *Server) checkZones(r *http.Request, rt *route, c *call) *apiError {
	u := c.user
	if rt.zone&zoneDevice != 0 {
		id := r.PathValue("id")
		st, ok := s.opts.Devices.Get(id)
		if !ok {
			return errorf(http.StatusNotFound, codeNotFound, "Không có thiết bị %q / unknown device %q", id, id)
		}
		if !u.MayZone(st.Zone) {
			e := errorf(http.StatusForbidden, codeForbiddenZone,
				"Thiết bị %s ngoài khu vực của bạn / forbidden: device %s is outside your zones", id, id)
			e.Devices = []string{id}
			return e
		}
		c.device = st
	}
	if rt.zone&zoneTargets != 0 {
		tb := c.body.(targeted)
		t, field, kind := tb.targets()
		ds, e := s.resolve(t, field, kind)
		if e != nil {
			return e
		}
		list := make([]devices.Device, len(ds))
		for i, d := range ds {
			list[i] = d.Device
		}
		c.devices = list
		c.target = deviceTarget(list)
		if ids := denied(u, ds); len(ids) > 0 {
			names := strings.Join(ids, ", ")
			e := errorf(http.StatusForbidden, codeForbiddenZone,
				"Không có quyền với thiết bị ngoài khu vực của bạn: %s; lệnh bị từ chối / forbidden: the whole request is refused, these devices are outside your zones: %s",
				names, names)
			e.Devices = ids
			return e
		}
		tb.setDevices(list)
	}
	if rt.zone&zoneQuery != 0 {
		q := r.URL.Query()
		if z := q.Get("zone"); z != "" {
			if !s.knownZone(z) {
				return fieldError("zone", codeBadParam, "Không có khu vực %q / query parameter zone: unknown zone %q", z, z)
			}
			if !u.MayZone(z) {
				return errorf(http.StatusForbidden, codeForbiddenZone,
					"Khu vực %s ngoài phạm vi của bạn / forbidden: zone %s is outside your zones", z, z)
			}
		}
		if id := q.Get("device"); id != "" {
			st, ok := s.opts.Devices.Get(id)
			if !ok {
				return fieldError("device", codeBadParam, "Không có thiết bị %q / query parameter device: unknown device %q", id, id)
			}
			if !u.MayZone(st.Zone) {
				e := errorf(http.StatusForbidden, codeForbiddenZone,
					"Thiết bị %s ngoài khu vực của bạn / forbidden: device %s is outside your zones", id, id)
				e.Devices = []string{id}
				return e
			}
		}
	}
	return nil
}

// available reports whether the capability a route needs is wired.
func (s *Server) available(needs string) bool {
	switch needs {
	case "":
		return true
	case "accounts":
		return s.opts.Store != nil
	case "commands":
		return s.opts.Commander != nil
	case "lights":
		return s.opts.Lights != nil
	case "announcements":
		return s.opts.Announcer != nil
	case "media":
		return s.opts.Media != nil
	case "schedules":
		return s.opts.Scheduler != nil
	case "uptime":
		return s.opts.Uptime != nil
	case "devices":
		return s.opts.DeviceAdmin != nil
	case "alerts":
		return s.opts.Alerts != nil
	}
	return false
}

// visible returns the statuses u may see.
func visible(u User, in []devices.Status) []devices.Status {
	if u.AllZones() {
		return in
	}
	out := in[:0:0]
	for _, st := range in {
		if u.MayZone(st.Zone) {
			out = append(out, st)
		}
	}
	return out
}

// deviceTarget is the audit target of a list of devices.
func deviceTarget(ds []devices.Device) string {
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	return "devices:" + strings.Join(ids, ",")
}
