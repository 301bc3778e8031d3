package web

import (
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/bilingual"
)

// TestBadInputGets4xxNamingTheField sends client mistakes: each gets a 4xx
// JSON error whose message (and "field") names what is wrong; never a 500.
func TestBadInputGets4xxNamingTheField(t *testing.T) {
	f := newFixture(t, withHooks)
	adm := f.as(admin)
	big := `{"target":{"devices":["` + strings.Repeat("x", maxJSONBody) + `"]},"set":{"on":true}}`
	cases := []struct {
		name, method, path, body string
		status                   int
		code, field              string
	}{
		{"malformed JSON", "POST", "/api/v1/commands", `{"target":`, 400, codeBadJSON, ""},
		{"syntax error", "POST", "/api/v1/commands", `{"target" {}}`, 400, codeBadJSON, ""},
		{"empty body", "POST", "/api/v1/commands", ``, 400, codeBadJSON, ""},
		{"not an object", "POST", "/api/v1/commands", `[1,2]`, 400, codeBadJSON, ""},
		{"trailing data", "POST", "/api/v1/commands", `{"target":{"all":true},"set":{"on":true}} {}`, 400, codeBadJSON, ""},
		{"unknown field", "POST", "/api/v1/commands", `{"target":{"all":true},"set":{"on":true},"colour":"red"}`, 400, codeUnknownField, "colour"},
		{"nested unknown field", "POST", "/api/v1/commands", `{"target":{"all":true},"set":{"on":true,"dim":3}}`, 400, codeUnknownField, "dim"},
		{"wrong type", "POST", "/api/v1/commands", `{"target":{"all":true},"set":{"on":"yes"}}`, 400, codeBadType, "set.on"},
		{"huge number", "POST", "/api/v1/commands", `{"target":{"all":true},"set":{"brightness":1e400}}`, 400, codeBadType, "set.brightness"},
		{"fraction", "POST", "/api/v1/commands", `{"target":{"all":true},"set":{"brightness":50.5}}`, 400, codeBadType, "set.brightness"},
		{"out of range", "POST", "/api/v1/commands", `{"target":{"all":true},"set":{"brightness":101}}`, 400, codeInvalid, "set.brightness"},
		{"nothing to set", "POST", "/api/v1/commands", `{"target":{"all":true},"set":{}}`, 400, codeInvalid, "set"},
		{"bad hold", "POST", "/api/v1/commands", `{"target":{"all":true},"set":{"on":true},"hold":"forever"}`, 400, codeInvalid, "hold"},
		{"two targets", "POST", "/api/v1/commands", `{"target":{"all":true,"zones":["ngo-a"]},"set":{"on":true}}`, 400, codeInvalid, "target"},
		{"no target", "POST", "/api/v1/commands", `{"set":{"on":true}}`, 400, codeInvalid, "target"},
		{"unknown device", "POST", "/api/v1/commands", `{"target":{"devices":["den-a1","den-z9"]},"set":{"on":true}}`, 400, codeInvalid, "target.devices[1]"},
		{"not a light", "POST", "/api/v1/commands", `{"target":{"devices":["loa-a1"]},"set":{"on":true}}`, 400, codeInvalid, "target.devices[0]"},
		{"unknown zone", "POST", "/api/v1/commands", `{"target":{"zones":["ngo-z"]},"set":{"on":true}}`, 400, codeInvalid, "target.zones[0]"},
		{"bad kind", "POST", "/api/v1/commands", `{"target":{"all":true,"kind":"lamp"},"set":{"on":true}}`, 400, codeInvalid, "target.kind"},
		{"wrong kind", "POST", "/api/v1/commands", `{"target":{"all":true,"kind":"speaker"},"set":{"on":true}}`, 400, codeInvalid, "target.kind"},
		{"no lights", "POST", "/api/v1/commands", `{"target":{"devices":["cam-b1"]},"set":{"on":true}}`, 400, codeInvalid, "target.devices[0]"},
		{"oversized body", "POST", "/api/v1/commands", big, 413, codeTooLarge, ""},
		{"announcement priority", "POST", "/api/v1/announcements", `{"title":"t","text":"x","targets":{"all":true},"priority":"urgent"}`, 400, codeInvalid, "priority"},
		{"announcement at", "POST", "/api/v1/announcements", `{"title":"t","text":"x","targets":{"all":true},"at":"tomorrow"}`, 400, codeInvalid, "at"},
		{"announcement text and media", "POST", "/api/v1/announcements", `{"title":"t","text":"x","media_id":"m","targets":{"all":true}}`, 400, codeInvalid, "text"},
		{"maintenance range", "POST", "/api/v1/maintenance", `{"target":{"all":true},"from":"2026-11-02T10:00:00Z","to":"2026-11-02T09:00:00Z"}`, 400, codeInvalid, "to"},
		{"schedule program", "POST", "/api/v1/schedules", `{"name":"x","targets":{"all":true},"program":[1]}`, 400, codeInvalid, "program"},
		{"media type", "POST", "/api/v1/media", `{"not":"audio"}`, 400, codeInvalid, "Content-Type"},
		{"device kind", "GET", "/api/v1/devices?kind=lamp", "", 400, codeBadParam, "kind"},
		{"device zone", "GET", "/api/v1/devices?zone=ngo-z", "", 400, codeBadParam, "zone"},
		{"unknown parameter", "GET", "/api/v1/devices?knd=light", "", 400, codeBadParam, "knd"},
		{"unknown device id", "GET", "/api/v1/devices/den-z9", "", 404, codeNotFound, ""},
		{"uptime format", "GET", "/api/v1/uptime?format=xml", "", 400, codeBadParam, "format"},
		{"uptime range", "GET", "/api/v1/uptime?from=2026-11-05&to=2026-11-01", "", 400, codeBadParam, "to"},
		{"outage device", "GET", "/api/v1/outages?device=nope", "", 400, codeBadParam, "device"},
		{"uptime over ten years", "GET", "/api/v1/uptime?from=2010-01-01&to=2026-11-01", "", 400, codeBadParam, "from"},
		{"uptime bad date", "GET", "/api/v1/uptime?from=01/11/2026", "", 400, codeBadParam, "from"},
		{"uptime group", "GET", "/api/v1/uptime?group=week", "", 400, codeBadParam, "group"},
		{"uptime source", "GET", "/api/v1/uptime?source=excel", "", 400, codeBadParam, "source"},
		{"uptime zone", "GET", "/api/v1/uptime?zone=ngo-z", "", 400, codeBadParam, "zone"},
		{"uptime kind", "GET", "/api/v1/uptime?kind=lamp", "", 400, codeBadParam, "kind"},
		{"outage format", "GET", "/api/v1/outages?format=pdf", "", 400, codeBadParam, "format"},
		{"maintenance id", "DELETE", "/api/v1/maintenance/abc", "", 404, codeNotFound, ""},
		{"unknown announcement", "GET", "/api/v1/announcements/nope", "", 404, codeNotFound, ""},
		{"unknown schedule", "DELETE", "/api/v1/schedules/nope", "", 404, codeNotFound, ""},
		{"user name", "POST", "/api/v1/users", `{"name":"Bình","role":"viewer","password":"mat-khau-dai"}`, 400, codeInvalid, "name"},
		{"user role", "POST", "/api/v1/users", `{"name":"binh","role":"root","password":"mat-khau-dai"}`, 400, codeInvalid, "role"},
		{"user zones", "POST", "/api/v1/users", `{"name":"binh","role":"operator","zones":["ngo-z"],"password":"mat-khau-dai"}`, 400, codeInvalid, "zones"},
		{"viewer zones", "POST", "/api/v1/users", `{"name":"binh","role":"viewer","zones":["ngo-a"],"password":"mat-khau-dai"}`, 400, codeInvalid, "zones"},
		{"short password", "POST", "/api/v1/users", `{"name":"binh","role":"viewer","password":"1234567"}`, 400, codeInvalid, "password"},
		{"password is name", "POST", "/api/v1/users", `{"name":"binhminh","role":"viewer","password":"BinhMinh"}`, 400, codeInvalid, "password"},
		{"user exists", "POST", "/api/v1/users", `{"name":"vi","role":"viewer","password":"mat-khau-dai"}`, 409, codeConflict, "name"},
		{"assign declared device", "PUT", "/api/v1/devices/den-a1", `{"zone":"ngo-b"}`, 409, codeConflict, ""},
		{"assign kind", "PUT", "/api/v1/devices/den-a1", `{"kind":"lamp"}`, 400, codeInvalid, "kind"},
		{"assign zone", "PUT", "/api/v1/devices/den-a1", `{"zone":"ngo-z"}`, 400, codeInvalid, "zone"},
		{"assign nothing", "PUT", "/api/v1/devices/den-a1", `{}`, 400, codeInvalid, "zone"},
		{"assign unknown device", "PUT", "/api/v1/devices/nope", `{"zone":"ngo-a"}`, 404, codeNotFound, ""},
		{"unknown user", "PUT", "/api/v1/users/nobody", `{"disabled":true}`, 404, codeNotFound, ""},
		{"empty update", "PUT", "/api/v1/users/vi", `{}`, 400, codeInvalid, "role"},
		{"last admin", "PUT", "/api/v1/users/an", `{"role":"viewer"}`, 409, codeConflict, ""},
		{"unknown user password", "POST", "/api/v1/users/nobody/password", `{"password":"mat-khau-dai"}`, 404, codeNotFound, ""},
		{"admin token", "POST", "/api/v1/tokens", `{"name":"x","role":"admin"}`, 400, codeInvalid, "role"},
		{"token name", "POST", "/api/v1/tokens", `{"name":"","role":"viewer"}`, 400, codeInvalid, "name"},
		{"token id", "DELETE", "/api/v1/tokens/abc", "", 400, codeBadParam, "id"},
		{"unknown token", "DELETE", "/api/v1/tokens/999", "", 404, codeNotFound, ""},
		{"no such path", "GET", "/api/v1/lamps", "", 404, codeNotFound, ""},
		{"wrong method", "DELETE", "/api/v1/devices", "", 405, codeNotAllowed, ""},
		{"login fields", "POST", "/api/v1/login", `{"user":"an"}`, 400, codeUnknownField, "user"},
	}
	for _, c := range cases {
		code, body := f.call(adm, c.method, c.path, c.body)
		if code != c.status || body["code"] != c.code {
			t.Errorf("%s: %d %v, want %d %s", c.name, code, body, c.status, c.code)
			continue
		}
		msg, _ := body["error"].(string)
		if err := bilingual.Check(msg); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if c.field != "" {
			leaf := c.field[strings.LastIndex(c.field, ".")+1:]
			if body["field"] != c.field || !strings.Contains(msg, leaf) {
				t.Errorf("%s: field %v, message %q; want field %q named", c.name, body["field"], msg, c.field)
			}
		}
	}
	resp := f.do(adm, "DELETE", "/api/v1/devices", "")
	readAll(resp)
	if resp.Header.Get("Allow") != "GET" {
		t.Errorf("405 Allow = %q", resp.Header.Get("Allow"))
	}
}

func TestZoneRefusalNamesDevices(t *testing.T) {
	f := newFixture(t, withHooks)
	opa := f.as(opA)
	for _, body := range []string{
		`{"target":{"devices":["den-a1","den-b1"]},"set":{"on":true}}`,
		`{"target":{"zones":["ngo-a","ngo-b"]},"set":{"on":true}}`,
		`{"target":{"all":true},"set":{"on":true}}`,
	} {
		code, resp := f.call(opa, "POST", "/api/v1/commands", body)
		devs, _ := resp["devices"].([]any)
		if code != 403 || resp["code"] != codeForbiddenZone || len(devs) != 1 || devs[0] != "den-b1" ||
			!strings.Contains(resp["error"].(string), "den-b1") {
			t.Errorf("%s: %d %v, want 403 naming den-b1", body, code, resp)
		}
	}
	if n := len(f.sink.all()); n != 0 {
		t.Errorf("a refused command reached the audit sink (%d entries)", n)
	}
	// Operator A's own zone, by zone or by device, is fine.
	if code, resp := f.call(opa, "POST", "/api/v1/commands", `{"target":{"zones":["ngo-a"]},"set":{"brightness":30}}`); code != 200 ||
		len(resp["results"].([]any)) != 2 {
		t.Errorf("own zone: %d %v", code, resp)
	}
	// Lists are filtered to the caller's zones.
	_, list := f.call(opa, "GET", "/api/v1/devices", "")
	for _, d := range list["devices"].([]any) {
		if d.(map[string]any)["zone"] != zoneA {
			t.Errorf("operator A sees %v", d)
		}
	}
	if code, _ := f.call(opa, "GET", "/api/v1/devices?zone=ngo-b", ""); code != 403 {
		t.Errorf("operator A lists zone B: %d", code)
	}
}

func TestDeviceJSON(t *testing.T) {
	f := newFixture(t, nil)
	d := testDevices()[0]
	f.reg.Observe(devices.AddressOf(d), devices.Report{Light: &devices.LightState{On: on(true), Brightness: pct(80)},
		Metrics: map[string]float64{"power_w": 35.2}}, false, f.clock.Now())
	code, body := f.call(f.as(viewer), "GET", "/api/v1/devices/den-a1", "")
	if code != 200 {
		t.Fatal(code, body)
	}
	rep := body["reported"].(map[string]any)
	tel := body["telemetry"].(map[string]any)
	if body["availability"] != "online" || rep["on"] != true || rep["brightness"] != 80.0 || tel["power_w"] != 35.2 ||
		body["last_seen"] != t0String || body["since"] != t0String || body["kind"] != "light" || body["protocol"] != "native" {
		t.Errorf("device = %v", body)
	}
	if des, ok := body["desired"].(map[string]any); !ok || len(des) != 0 {
		t.Errorf("desired = %v, want {}", body["desired"])
	}
	_, list := f.call(f.as(viewer), "GET", "/api/v1/devices?kind=speaker", "")
	if n := len(list["devices"].([]any)); n != 2 {
		t.Errorf("speakers = %d, want 2", n)
	}
}
