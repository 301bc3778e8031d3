package web

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestAuditRecordsEachAction performs each audited action and checks its entry.
func TestAuditRecordsEachAction(t *testing.T) {
	var cmdErr error
	f := newFixture(t, func(o *Options) {
		o.Commander = &fakeCommander{fn: func(ctx context.Context, req CommandRequest, u User) (CommandResult, error) {
			if cmdErr != nil {
				return CommandResult{}, cmdErr
			}
			return CommandResult{ID: "cmd-7", Results: []DeviceResult{
				{Device: "den-a1", Status: "confirmed"}, {Device: "den-a2", Status: "offline", Error: "device offline"}}}, nil
		}}
	})
	adm := f.as(admin) // login ok
	f.call(nil, "POST", "/api/v1/login", `{"username":"an","password":"sai-mat-khau"}`)
	f.call(nil, "POST", "/api/v1/login", `{"username":"ghost","password":"sai-mat-khau"}`)
	f.call(adm, "POST", "/api/v1/users", `{"name":"binh","role":"operator","zones":["ngo-a"],"password":"mat-khau-binh"}`)
	_, tok := f.call(adm, "POST", "/api/v1/tokens", `{"name":"bms","role":"viewer"}`)
	id := strconv.Itoa(int(tok["id"].(float64)))
	f.call(adm, "DELETE", "/api/v1/tokens/"+id, "")
	opa := f.as(opA)
	f.call(opa, "POST", "/api/v1/commands", `{"target":{"devices":["den-a1","den-a2"]},"set":{"on":true,"brightness":60},"hold":"2h"}`)
	f.call(opa, "POST", "/api/v1/commands", `{"target":{"devices":["den-a1","den-b1"]},"set":{"on":false}}`)
	cmdErr = errors.New("broker down")
	f.call(opa, "POST", "/api/v1/commands", `{"target":{"zones":["ngo-a"]},"set":{"on":false}}`)
	f.call(opa, "POST", "/api/v1/logout", "")

	want := []struct{ action, user, target, result, errText, params string }{
		{"login", "an", "user:an", "ok", "", "{}"},
		{"login", "an", "user:an", "failed", "wrong password", "{}"},
		{"login", "ghost", "user:ghost", "failed", "unknown user", "{}"},
		{"user.create", "an", "user:binh", "ok", "", `{"name":"binh","role":"operator","zones":["ngo-a"]}`},
		{"token.create", "an", "token:" + id, "ok", "", `{"name":"bms","role":"viewer"}`},
		{"token.revoke", "an", "token:" + id, "ok", "", "{}"},
		{"login", "opa", "user:opa", "ok", "", "{}"},
		{"command", "opa", "devices:den-a1,den-a2", "ok", "", `{"target":{"devices":["den-a1","den-a2"]},"set":{"on":true,"brightness":60},"hold":"2h"}`},
		{"command", "opa", "devices:den-a1,den-b1", "denied", "den-b1", ""},
		{"command", "opa", "devices:den-a1,den-a2", "failed", "broker down", ""},
		{"logout", "opa", "user:opa", "ok", "", "{}"},
	}
	got := f.audit()
	if len(got) != len(want) {
		for _, e := range got {
			t.Logf("%+v", e)
		}
		t.Fatalf("%d audit entries, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Action != w.action || g.User != w.user || g.Target != w.target || g.Result != w.result ||
			!strings.Contains(g.Error, w.errText) || (w.params != "" && g.Params != w.params) || g.Source != "127.0.0.1" {
			t.Errorf("entry %d = %+v\nwant %+v", i, g, w)
		}
		if strings.Contains(g.Params, "mat-khau") || strings.Contains(g.Params, "password") {
			t.Errorf("entry %d leaks a password: %s", i, g.Params)
		}
	}

	// Only the command that reached devices goes to the sink, per device.
	sunk := f.sink.all()
	if len(sunk) != 1 {
		t.Fatalf("sink got %d entries, want 1: %+v", len(sunk), sunk)
	}
	e := sunk[0]
	if e.Ref != "cmd-7" || e.CommandAction() != "set" || len(e.Devices) != 2 || e.Devices[1].Device.Zone != zoneA ||
		e.Devices[1].Result != "offline" || e.Devices[1].Error != "device offline" || e.User != "opa" {
		t.Errorf("sink entry = %+v", e)
	}
}

func TestAuditQuery(t *testing.T) {
	f := newFixture(t, nil)
	vi := f.as(viewer) // audited at t0
	f.clock.Add(48 * time.Hour)
	f.login("vi", testPassword)
	code, body := f.call(vi, "GET", "/api/v1/audit", "")
	if code != 200 || len(body["entries"].([]any)) != 1 {
		t.Fatalf("last 24h: %d %v", code, body)
	}
	code, body = f.call(vi, "GET", "/api/v1/audit?from=2026-11-01&to=2026-11-02&user=vi&action=login", "")
	entries, _ := body["entries"].([]any)
	if code != 200 || len(entries) != 1 || entries[0].(map[string]any)["user"] != "vi" {
		t.Fatalf("by user: %d %v", code, body)
	}
	e := entries[0].(map[string]any)
	if e["time"] != t0String || e["result"] != "ok" || e["params"] == nil {
		t.Errorf("entry = %v", e)
	}
	code, body = f.call(vi, "GET", "/api/v1/audit?from=2026-11-01T00:00:00%2B07:00&to=2026-11-05T00:00:00Z&limit=1", "")
	if code != 200 || len(body["entries"].([]any)) != 1 || body["truncated"] != true {
		t.Fatalf("limit: %d %v", code, body)
	}
	for _, c := range []struct{ query, field string }{
		{"from=yesterday", "from"},
		{"to=2026-13-01", "to"},
		{"from=2026-11-03&to=2026-11-01", "to"},
		{"from=2026-11-01T10:00:00Z&to=2026-11-01T10:00:00Z", "to"},
		{"limit=0", "limit"},
		{"limit=ten", "limit"},
		{"form=2026-11-01", "form"},
		{"user=a&user=b", "user"},
	} {
		code, body := f.call(vi, "GET", "/api/v1/audit?"+c.query, "")
		if code != 400 || body["field"] != c.field || !strings.Contains(body["error"].(string), c.field) {
			t.Errorf("?%s: %d %v, want 400 naming %s", c.query, code, body, c.field)
		}
	}
}
