package web

import (
	"net/http"
	"strings"
)

// routeTable is every route the server answers, with the policy that guards
// it: the lowest role allowed (public when empty), the zone rule, the audit
// action of state-changing routes, and the capability it needs (503 when not
// wired). guard enforces it; the authorization matrix test walks it.
//
// Handlers only translate HTTP: accounts (package accounts) signs in, keeps
// sessions and tokens and changes users; the capability packages do the rest.
// Every capability route is wired by the daemon (daemon/web.go); a route
// whose hook is nil (a test, a part that failed to start) answers 503
// not_available after the authentication, role and zone checks.
func (s *Server) routeTable() []route {
	const (
		viewer, operator, admin = RoleViewer, RoleOperator, RoleAdmin
	)
	return []route{
		// Operations.
		{method: "GET", path: "/healthz", handle: s.healthz},
		{method: "GET", path: "/readyz", handle: s.readyz},
		{method: "GET", path: "/metrics", handle: s.metricsGet},

		// Sessions.
		{method: "POST", path: "/api/v1/login", action: "login", needs: "accounts", body: newBody[loginRequest], handle: s.sessionCreate},
		{method: "POST", path: "/api/v1/logout", role: viewer, action: "logout", handle: s.sessionDelete},
		{method: "GET", path: "/api/v1/me", role: viewer, handle: s.meGet},
		{method: "GET", path: "/api/v1/zones", role: viewer, handle: s.zonesGet},

		// Devices and live events.
		{method: "GET", path: "/api/v1/devices", role: viewer, zone: zoneQuery, handle: s.deviceList},
		{method: "GET", path: "/api/v1/devices/{id}", role: viewer, zone: zoneDevice, handle: s.deviceGet},
		{method: "PUT", path: "/api/v1/devices/{id}", role: admin, zone: zoneDevice, action: "device.assign", needs: "devices",
			body: newBody[DeviceAssignment], handle: s.deviceAssign},
		{method: "GET", path: "/api/v1/events", role: viewer, stream: true, handle: s.eventStream},

		// Control.
		{method: "POST", path: "/api/v1/commands", role: operator, zone: zoneTargets, action: "command", needs: "commands",
			body: newBody[commandBody], handle: s.commandCreate},
		{method: "DELETE", path: "/api/v1/lights/{id}/override", role: operator, zone: zoneDevice, action: "override.clear",
			needs: "lights", handle: s.overrideClear},
		{method: "GET", path: "/api/v1/lights/report", role: viewer, zone: zoneQuery, needs: "lights", handle: s.lightReport},
		{method: "POST", path: "/api/v1/media", role: operator, action: "media.upload", needs: "media",
			maxBody: s.opts.MaxMediaBytes, handle: s.mediaUpload},
		{method: "GET", path: "/api/v1/media", role: viewer, needs: "media", handle: s.mediaList},
		{method: "DELETE", path: "/api/v1/media/{id}", role: operator, action: "media.delete", needs: "media", handle: s.mediaDelete},
		{method: "GET", path: "/media/{file}", needs: "media", handle: s.mediaFetch},
		{method: "GET", path: "/api/v1/announcements", role: viewer, needs: "announcements", handle: s.announcementList},
		{method: "POST", path: "/api/v1/announcements", role: operator, zone: zoneTargets, action: "announcement.create",
			needs: "announcements", body: newBody[AnnouncementRequest], handle: s.announcementCreate},
		{method: "GET", path: "/api/v1/announcements/{id}", role: viewer, needs: "announcements", handle: s.announcementGet},
		{method: "DELETE", path: "/api/v1/announcements/{id}", role: operator, zone: zoneResource, action: "announcement.cancel",
			needs: "announcements", zonesOf: s.announcementZones, handle: s.announcementCancel},
		{method: "GET", path: "/api/v1/schedules", role: viewer, needs: "schedules", handle: s.scheduleList},
		{method: "GET", path: "/api/v1/schedules/{id}", role: viewer, needs: "schedules", handle: s.scheduleGet},
		{method: "POST", path: "/api/v1/schedules", role: operator, zone: zoneTargets, action: "schedule.create",
			needs: "schedules", body: newBody[scheduleBody], handle: s.scheduleCreate},
		{method: "PUT", path: "/api/v1/schedules/{id}", role: operator, zone: zoneTargets | zoneResource, action: "schedule.update",
			needs: "schedules", body: newBody[scheduleBody], zonesOf: s.scheduleZones, handle: s.scheduleUpdate},
		{method: "DELETE", path: "/api/v1/schedules/{id}", role: operator, zone: zoneResource, action: "schedule.delete",
			needs: "schedules", zonesOf: s.scheduleZones, handle: s.scheduleDelete},

		// Reports.
		{method: "GET", path: "/api/v1/uptime", role: viewer, zone: zoneQuery, needs: "uptime", handle: s.uptimeGet},
		{method: "GET", path: "/api/v1/outages", role: viewer, zone: zoneQuery, needs: "uptime", handle: s.outageList},
		{method: "GET", path: "/api/v1/maintenance", role: viewer, needs: "uptime", handle: s.maintenanceList},
		{method: "POST", path: "/api/v1/maintenance", role: operator, zone: zoneTargets, action: "maintenance.create",
			needs: "uptime", body: newBody[maintenanceBody], handle: s.maintenanceCreate},
		{method: "DELETE", path: "/api/v1/maintenance/{id}", role: operator, zone: zoneResource, action: "maintenance.cancel",
			needs: "uptime", zonesOf: s.maintenanceZones, handle: s.maintenanceCancel},
		{method: "GET", path: "/api/v1/audit", role: viewer, handle: s.auditList},

		// Alerts.
		{method: "GET", path: "/api/v1/alerts", role: viewer, needs: "alerts", handle: s.alertList},
		{method: "POST", path: "/api/v1/alerts/{id}/ack", role: operator, zone: zoneResource, action: "alert.ack",
			needs: "alerts", zonesOf: s.alertZones, handle: s.alertAck},

		// Users and API tokens.
		{method: "GET", path: "/api/v1/users", role: admin, handle: s.userList},
		{method: "POST", path: "/api/v1/users", role: admin, action: "user.create", body: newBody[userCreateRequest], handle: s.userCreate},
		{method: "PUT", path: "/api/v1/users/{name}", role: admin, action: "user.update", body: newBody[userUpdateRequest], handle: s.userUpdate},
		{method: "POST", path: "/api/v1/users/{name}/password", role: viewer, zone: zoneSelf, action: "user.password",
			body: newBody[passwordRequest], handle: s.userPassword},
		{method: "GET", path: "/api/v1/tokens", role: admin, handle: s.tokenList},
		{method: "POST", path: "/api/v1/tokens", role: admin, action: "token.create", body: newBody[tokenCreateRequest], handle: s.tokenCreate},
		{method: "DELETE", path: "/api/v1/tokens/{id}", role: admin, action: "token.revoke", handle: s.tokenRevoke},
	}
}

// newBody returns a new request body of type T for guard to decode into.
func newBody[T any]() any { return new(T) }

// routes builds the handler: the route table on a ServeMux, JSON 404 and
// 405 answers for everything else, cross-origin protection on every
// state-changing request, and the access log around it all.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routeTable() {
		mux.Handle(rt.pattern(), s.guard(rt))
	}
	s.pageRoutes(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.unmatched(mux, w, r) })

	cop := http.NewCrossOriginProtection()
	for _, o := range s.opts.TrustedOrigins {
		if err := cop.AddTrustedOrigin(o); err != nil {
			s.setupErr = err
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, errorf(http.StatusForbidden, codeCrossOrigin,
			"Yêu cầu từ trang web khác bị từ chối / cross-origin request refused"))
	}))
	return s.accessLog(cop.Handler(mux))
}

// unmatched answers a request no route matched: 405 with Allow when the path
// exists under other methods, else 404.
func (s *Server) unmatched(mux *http.ServeMux, w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); pattern != "/" && pattern != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeError(w, errorf(http.StatusMethodNotAllowed, codeNotAllowed,
			"Phương thức %s không được hỗ trợ / method %s not allowed here; use %s", r.Method, r.Method, strings.Join(allow, ", ")))
		return
	}
	writeError(w, errorf(http.StatusNotFound, codeNotFound, "Không tìm thấy đường dẫn %q, giao diện lập trình nằm dưới /api/v1 / no such path %q; the API is under /api/v1", r.URL.Path, r.URL.Path))
}
