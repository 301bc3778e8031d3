package web

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// TestAuditRespectsZones: each role reads only what it may see of the audit
// log: admins everything; operators and viewers their own entries and those
// about devices and zones they may see; user and token management only admins.
func TestAuditRespectsZones(t *testing.T) {
	f := newFixture(t, func(o *Options) {
		o.Commander = &fakeCommander{fn: func(ctx context.Context, req CommandRequest, u User) (CommandResult, error) {
			return CommandResult{ID: "cmd-1"}, nil
		}}
	})
	adm, opa, opb, vi := f.as(admin), f.as(opA), f.as(opB), f.as(viewer)
	f.call(adm, "POST", "/api/v1/users", `{"name":"binh","role":"operator","zones":["ngo-a"],"password":"mat-khau-binh"}`)
	f.call(adm, "POST", "/api/v1/tokens", `{"name":"bms","role":"viewer"}`)
	f.call(adm, "POST", "/api/v1/users/zed/password", `{"password":"mat-khau-moi-9"}`)
	f.call(adm, "POST", "/api/v1/commands", `{"target":{"devices":["den-b1"]},"set":{"on":true}}`)
	f.call(adm, "POST", "/api/v1/commands", `{"target":{"devices":["den-a1","den-b1"]},"set":{"on":true}}`)
	f.call(opb, "POST", "/api/v1/commands", `{"target":{"devices":["den-a1"]},"set":{"on":true}}`) // denied, zone A
	f.call(opa, "POST", "/api/v1/commands", `{"target":{"devices":["den-a2"]},"set":{"on":false}}`)
	f.call(nil, "POST", "/api/v1/login", `{"username":"opb","password":"sai"}`)

	type seen struct{ user, action, target string }
	read := func(a auth) []seen {
		t.Helper()
		code, body := f.call(a, "GET", "/api/v1/audit", "")
		if code != 200 {
			t.Fatalf("audit: %d %v", code, body)
		}
		var out []seen
		for _, e := range body["entries"].([]any) {
			m := e.(map[string]any)
			out = append(out, seen{m["user"].(string), m["action"].(string), m["target"].(string)})
		}
		slices.Reverse(out)
		return out
	}
	has := func(list []seen, user, action, target string) bool {
		return slices.Contains(list, seen{user, action, target})
	}

	all := read(adm)
	for _, w := range []seen{{"an", "user.create", "user:binh"}, {"an", "user.password", "user:zed"},
		{"opb", "command", "devices:den-a1"}, {"opb", "login", "user:opb"}, {"vi", "login", "user:vi"}} {
		if !has(all, w.user, w.action, w.target) {
			t.Errorf("admin does not see %v", w)
		}
	}
	if !slices.ContainsFunc(all, func(s seen) bool { return s.action == "token.create" }) {
		t.Error("admin does not see token.create")
	}

	a := read(opa)
	for _, e := range a {
		if strings.HasPrefix(e.action, "user.") || strings.HasPrefix(e.action, "token.") {
			t.Errorf("operator A sees management entry %v", e)
		}
		if e.user != "opa" && e.action != "command" {
			t.Errorf("operator A sees another's account action %v", e)
		}
		if strings.Contains(e.target, "den-b1") {
			t.Errorf("operator A sees a zone B device: %v", e)
		}
	}
	for _, w := range []seen{{"opb", "command", "devices:den-a1"}, {"opa", "command", "devices:den-a2"}, {"opa", "login", "user:opa"}} {
		if !has(a, w.user, w.action, w.target) {
			t.Errorf("operator A does not see %v: %v", w, a)
		}
	}

	b := read(opb)
	for _, w := range []seen{{"an", "command", "devices:den-b1"}, {"opb", "login", "user:opb"}} {
		if !has(b, w.user, w.action, w.target) {
			t.Errorf("operator B does not see %v: %v", w, b)
		}
	}
	for _, e := range b {
		if strings.Contains(e.target, "den-a") && e.user != "opb" {
			t.Errorf("operator B sees a zone A entry: %v", e)
		}
		if e.action == "login" && e.user != "opb" {
			t.Errorf("operator B sees another's sign-in: %v", e)
		}
	}

	v := read(vi) // a viewer of every zone
	for _, w := range []seen{{"an", "command", "devices:den-a1,den-b1"}, {"opb", "command", "devices:den-a1"}, {"vi", "login", "user:vi"}} {
		if !has(v, w.user, w.action, w.target) {
			t.Errorf("viewer does not see %v: %v", w, v)
		}
	}
	for _, e := range v {
		if e.action != "command" && e.user != "vi" {
			t.Errorf("viewer sees %v", e)
		}
	}
}
