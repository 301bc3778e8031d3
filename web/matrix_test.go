package web

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// Expectations beyond plain status codes.
const (
	// allow: the route's success status when its capability is wired, 503 when not.
	allow = -1
	// zoneDenied: 403 when the capability is wired (its resource is in another
	// zone), 503 when not (the resource cannot be looked up).
	zoneDenied = -2
)

// matrixCase is one route's request and the expected status per principal.
type matrixCase struct {
	path, body string
	headers    []string
	ok         int // the success status
	want       map[string]int
}

// every returns the same expectation for all principals but anonymous.
func every(signedIn int) map[string]int {
	return map[string]int{anon: 401, viewer: signedIn, opA: signedIn, opB: signedIn, admin: signedIn, bearer: signedIn}
}

// adminOnly: 401 anonymous, 403 everyone but the admin.
func adminOnly() map[string]int {
	return map[string]int{anon: 401, viewer: 403, opA: 403, opB: 403, admin: allow, bearer: 403}
}

// operators: viewers refused; zone A allowed to operator A, refused to B.
func operatorsZoneA() map[string]int {
	return map[string]int{anon: 401, viewer: 403, opA: allow, opB: 403, admin: allow, bearer: allow}
}

func operatorsZoneB() map[string]int {
	return map[string]int{anon: 401, viewer: 403, opA: 403, opB: allow, admin: allow, bearer: allow}
}

// matrixCases has one entry per route of the route table.
func matrixCases() map[string]matrixCase {
	public := map[string]int{anon: 200, viewer: 200, opA: 200, opB: 200, admin: 200, bearer: 200}
	return map[string]matrixCase{
		"GET /healthz": {path: "/healthz", want: public},
		"GET /readyz":  {path: "/readyz", want: public},
		"GET /metrics": {path: "/metrics", want: public},

		"POST /api/v1/login":  {path: "/api/v1/login", body: `{"username":"vi","password":"` + testPassword + `"}`, want: public},
		"POST /api/v1/logout": {path: "/api/v1/logout", ok: 204, want: every(allow)},
		"GET /api/v1/me":      {path: "/api/v1/me", want: every(allow)},
		"GET /api/v1/zones":   {path: "/api/v1/zones", want: every(200)},

		"GET /api/v1/devices": {path: "/api/v1/devices?kind=light", want: every(allow)},
		"GET /api/v1/devices/{id}": {path: "/api/v1/devices/den-a1",
			want: map[string]int{anon: 401, viewer: 200, opA: 200, opB: 403, admin: 200, bearer: 200}},
		"GET /api/v1/events": {path: "/api/v1/events", want: every(allow)},

		"POST /api/v1/commands": {path: "/api/v1/commands", body: `{"target":{"devices":["den-a1","den-a2"]},"set":{"on":true,"brightness":60}}`,
			want: operatorsZoneA()},
		"DELETE /api/v1/lights/{id}/override": {path: "/api/v1/lights/den-a1/override",
			want: map[string]int{anon: 401, viewer: 403, opA: allow, opB: 403, admin: allow, bearer: allow}},
		"GET /api/v1/lights/report": {path: "/api/v1/lights/report?from=2026-11-01&to=2026-11-02", want: every(allow)},
		"POST /api/v1/media": {path: "/api/v1/media", body: "ID3 fake audio", headers: []string{"Content-Type", "audio/mpeg"}, ok: 201,
			want: map[string]int{anon: 401, viewer: 403, opA: allow, opB: allow, admin: allow, bearer: allow}},
		"GET /api/v1/media": {path: "/api/v1/media", want: every(allow)},
		"DELETE /api/v1/media/{id}": {path: "/api/v1/media/m1", ok: 204,
			want: map[string]int{anon: 401, viewer: 403, opA: allow, opB: allow, admin: allow, bearer: allow}},
		"GET /media/{file}": {path: "/media/t1.mp3",
			want: map[string]int{anon: allow, viewer: allow, opA: allow, opB: allow, admin: allow, bearer: allow}},
		"GET /api/v1/announcements": {path: "/api/v1/announcements?from=2026-10-01&to=2026-10-31", want: every(allow)},
		"POST /api/v1/announcements": {path: "/api/v1/announcements", ok: 201,
			body: `{"title":"Họp tổ dân phố","text":"Mời bà con họp lúc 19 giờ","targets":{"zones":["ngo-a"]}}`, want: operatorsZoneA()},
		"GET /api/v1/announcements/{id}": {path: "/api/v1/announcements/ann-b", want: every(allow)},
		"DELETE /api/v1/announcements/{id}": {path: "/api/v1/announcements/ann-a", ok: 204,
			want: map[string]int{anon: 401, viewer: 403, opA: allow, opB: zoneDenied, admin: allow, bearer: allow}},
		"GET /api/v1/schedules":      {path: "/api/v1/schedules", want: every(allow)},
		"GET /api/v1/schedules/{id}": {path: "/api/v1/schedules/sch-a", want: every(allow)},
		"POST /api/v1/schedules": {path: "/api/v1/schedules", ok: 201,
			body: `{"name":"Đêm","targets":{"all":true,"kind":"light"},"program":{"steps":[]}}`,
			want: map[string]int{anon: 401, viewer: 403, opA: 403, opB: 403, admin: allow, bearer: allow}},
		"PUT /api/v1/schedules/{id}": {path: "/api/v1/schedules/sch-b",
			body: `{"name":"Đêm B","targets":{"zones":["ngo-b"]},"program":{}}`, want: operatorsZoneB()},
		"DELETE /api/v1/schedules/{id}": {path: "/api/v1/schedules/sch-a", ok: 204,
			want: map[string]int{anon: 401, viewer: 403, opA: allow, opB: zoneDenied, admin: allow, bearer: allow}},

		"GET /api/v1/uptime": {path: "/api/v1/uptime?zone=ngo-a&from=2026-10-01&to=2026-10-31",
			want: map[string]int{anon: 401, viewer: allow, opA: allow, opB: 403, admin: allow, bearer: allow}},
		"GET /api/v1/outages": {path: "/api/v1/outages?device=den-b1",
			want: map[string]int{anon: 401, viewer: allow, opA: 403, opB: allow, admin: allow, bearer: allow}},
		"GET /api/v1/maintenance": {path: "/api/v1/maintenance", want: every(allow)},
		"DELETE /api/v1/maintenance/{id}": {path: "/api/v1/maintenance/1",
			want: map[string]int{anon: 401, viewer: 403, opA: allow, opB: zoneDenied, admin: allow, bearer: allow}},
		"POST /api/v1/maintenance": {path: "/api/v1/maintenance", ok: 201,
			body: `{"target":{"devices":["den-b1"]},"from":"2026-11-02T08:00:00+07:00","to":"2026-11-02T10:00:00+07:00"}`,
			want: operatorsZoneB()},
		"GET /api/v1/audit":  {path: "/api/v1/audit", want: every(allow)},
		"GET /api/v1/alerts": {path: "/api/v1/alerts?state=all&from=2026-10-01", want: every(allow)},
		"POST /api/v1/alerts/{id}/ack": {path: "/api/v1/alerts/al-a/ack",
			want: map[string]int{anon: 401, viewer: 403, opA: allow, opB: zoneDenied, admin: allow, bearer: allow}},

		"GET /api/v1/users":        {path: "/api/v1/users", want: adminOnly()},
		"POST /api/v1/users":       {path: "/api/v1/users", ok: 201, body: `{"name":"neo","role":"viewer","password":"mat-khau-moi-1"}`, want: adminOnly()},
		"PUT /api/v1/devices/{id}": {path: "/api/v1/devices/tasmota-new", body: `{"zone":"ngo-b","name":"Đèn mới"}`, want: adminOnly()},
		"PUT /api/v1/users/{name}": {path: "/api/v1/users/zed", body: `{"role":"operator","zones":["ngo-b"]}`, want: adminOnly()},
		"POST /api/v1/users/{name}/password": {path: "/api/v1/users/zed/password", ok: 204,
			body: `{"password":"mat-khau-moi-2"}`, want: adminOnly()},
		"GET /api/v1/tokens":         {path: "/api/v1/tokens", want: adminOnly()},
		"POST /api/v1/tokens":        {path: "/api/v1/tokens", ok: 201, body: `{"name":"bms","role":"viewer"}`, want: adminOnly()},
		"DELETE /api/v1/tokens/{id}": {path: "/api/v1/tokens/{spare}", ok: 204, want: adminOnly()},
	}
}

// TestAuthorizationMatrix walks every route of the route table for every
// principal, with the capabilities missing and wired, and checks the status.
// A route without a case fails the test, so none can be forgotten.
func TestAuthorizationMatrix(t *testing.T) {
	cases := matrixCases()
	table := (&Server{opts: Options{}}).routeTable()
	seen := map[string]bool{}
	for _, rt := range table {
		seen[rt.pattern()] = true
		if _, ok := cases[rt.pattern()]; !ok {
			t.Errorf("route %s has no authorization matrix case", rt.pattern())
		}
	}
	for p := range cases {
		if !seen[p] {
			t.Errorf("matrix case %s matches no route", p)
		}
	}
	for _, wired := range []bool{false, true} {
		name := "capabilities missing"
		if wired {
			name = "capabilities wired"
		}
		t.Run(name, func(t *testing.T) {
			var f *fixture
			if wired {
				f = newFixture(t, withHooks)
				f.discover()
			} else {
				f = newFixture(t, nil)
				f.discover()
			}
			for _, rt := range table {
				mc := cases[rt.pattern()]
				needs := rt.needs != "" && rt.needs != "accounts"
				for _, p := range principals {
					want := mc.want[p]
					switch want {
					case allow:
						want = mc.ok
						if want == 0 {
							want = 200
						}
						if needs && !wired {
							want = 503
						}
					case zoneDenied:
						want = 403
						if !wired {
							want = 503
						}
					}
					got, body := f.matrixRequest(rt, mc, p)
					if got != want {
						t.Errorf("%s as %s: status %d, want %d (%s)", rt.pattern(), p, got, want, body)
					}
				}
			}
		})
	}
}

// matrixRequest sends mc's request as principal p and returns the status.
func (f *fixture) matrixRequest(rt route, mc matrixCase, p string) (int, string) {
	path := mc.path
	if path == "/api/v1/tokens/{spare}" {
		path = "/api/v1/tokens/" + strconv.FormatInt(f.tokens["spare"], 10)
	}
	if rt.stream {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, rt.method, f.ts.URL+path, nil)
		if a := f.as(p); a != nil {
			a(req)
		}
		resp, err := f.ts.Client().Do(req)
		if err != nil {
			f.t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode, ""
	}
	resp := f.do(f.as(p), rt.method, path, mc.body, mc.headers...)
	return resp.StatusCode, readAll(resp)
}

// discover adds a device found by discovery, not yet assigned to a zone.
func (f *fixture) discover() {
	f.reg.Discover(devices.Device{ID: "tasmota-new", Kind: devices.Light, Protocol: devices.Tasmota, Topic: "tasmota_NEW"},
		"Sonoff", "14.1", time.Now())
}
