package web

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/accounts"
)

func TestUsersAPI(t *testing.T) {
	f := newFixture(t, nil)
	adm := f.as(admin)
	code, body := f.call(adm, "POST", "/api/v1/users", `{"name":"binh","role":"operator","zones":["ngo-a","ngo-a","ngo-b"],"password":"mat-khau-binh"}`)
	if code != 201 || body["name"] != "binh" || len(body["zones"].([]any)) != 2 || body["password_hash"] != nil {
		t.Fatalf("create: %d %v", code, body)
	}
	binh := withCookie(f.login("binh", "mat-khau-binh"))
	if code, _ := f.call(binh, "GET", "/api/v1/devices/den-b1", ""); code != 200 {
		t.Fatalf("binh (zones a and b) reads den-b1: %d", code)
	}
	// Narrowing the zones takes effect at once, in the same session.
	if code, body := f.call(adm, "PUT", "/api/v1/users/binh", `{"zones":["ngo-a"]}`); code != 200 || len(body["zones"].([]any)) != 1 {
		t.Fatalf("update zones: %d %v", code, body)
	}
	if code, _ := f.call(binh, "GET", "/api/v1/devices/den-b1", ""); code != 403 {
		t.Fatalf("after narrowing: %d", code)
	}
	// A role change away from operator drops the zones; zones on a viewer are refused.
	if code, body := f.call(adm, "PUT", "/api/v1/users/binh", `{"role":"viewer"}`); code != 200 || len(body["zones"].([]any)) != 0 {
		t.Fatalf("to viewer: %d %v", code, body)
	}
	if code, body := f.call(adm, "PUT", "/api/v1/users/binh", `{"zones":["ngo-a"]}`); code != 400 || body["field"] != "zones" {
		t.Fatalf("zones on a viewer: %d %v", code, body)
	}
	code, body = f.call(adm, "GET", "/api/v1/users", "")
	if code != 200 || len(body["users"].([]any)) != 6 {
		t.Fatalf("list: %d %v", code, body)
	}
	// A second admin makes the first removable.
	f.call(adm, "PUT", "/api/v1/users/binh", `{"role":"admin"}`)
	if code, body := f.call(adm, "PUT", "/api/v1/users/an", `{"role":"viewer"}`); code != 200 {
		t.Fatalf("demote with another admin: %d %v", code, body)
	}
	if code, _ := f.call(adm, "GET", "/api/v1/users", ""); code != 403 {
		t.Fatalf("demoted admin still lists users: %d", code)
	}
}

func TestTokensAPI(t *testing.T) {
	f := newFixture(t, nil)
	adm := f.as(admin)
	code, body := f.call(adm, "POST", "/api/v1/tokens", `{"name":"Hệ thống BMS","role":"operator","zones":["ngo-b"]}`)
	secret, _ := body["token"].(string)
	if code != 201 || !strings.HasPrefix(secret, accounts.TokenPrefix) || len(secret) < 40 || body["created_by"] != "an" {
		t.Fatalf("create: %d %v", code, body)
	}
	id := strconv.Itoa(int(body["id"].(float64)))
	tok := withBearer(secret)
	code, me := f.call(tok, "GET", "/api/v1/me", "")
	if code != 200 || me["name"] != "token:Hệ thống BMS" || me["role"] != "operator" || me["auth"] != "token" {
		t.Fatalf("me by token: %d %v", code, me)
	}
	if code, _ := f.call(tok, "GET", "/api/v1/devices/den-a1", ""); code != 403 {
		t.Fatalf("zone-b token reads den-a1: %d", code)
	}
	_, list := f.call(adm, "GET", "/api/v1/tokens", "")
	for _, tv := range list["tokens"].([]any) {
		if tv.(map[string]any)["token"] != nil {
			t.Fatal("token list shows a secret")
		}
	}
	if code, _ := f.call(adm, "DELETE", "/api/v1/tokens/"+id, ""); code != 204 {
		t.Fatalf("revoke: %d", code)
	}
	if code, body := f.call(tok, "GET", "/api/v1/me", ""); code != 401 || body["code"] != codeBadToken {
		t.Fatalf("revoked token: %d %v", code, body)
	}
	for _, h := range []string{"Basic YW46eA==", "Bearer", "Bearer nope", "Bearer " + accounts.TokenPrefix + "unknown"} {
		if code, body := f.call(nil, "GET", "/api/v1/me", "", "Authorization", h); code != 401 || body["code"] != codeBadToken {
			t.Errorf("Authorization %q: %d %v", h, code, body)
		}
	}
	// A bearer header wins over a session cookie.
	if code, _ := f.call(withCookie(f.login("an", testPassword)), "GET", "/api/v1/me", "", "Authorization", "Bearer "+accounts.TokenPrefix+"x"); code != 401 {
		t.Errorf("cookie used despite a bad bearer token: %d", code)
	}
}

func TestMetricsExported(t *testing.T) {
	f := newFixture(t, nil)
	f.call(f.as(viewer), "GET", "/api/v1/devices", "")
	resp := f.do(nil, "GET", "/metrics", "")
	body := readAll(resp)
	for _, want := range []string{
		`hamlet_devices{availability="unknown",kind="light"} 3`,
		`hamlet_http_requests_total{code="200",method="GET",route="GET /api/v1/devices"} 1`,
		`hamlet_http_logins_total{result="ok"} 1`,
		`hamlet_http_event_streams 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestNoStoreAnswers503(t *testing.T) {
	h := New(Options{}).Handler()
	serve := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec
	}
	for _, p := range []string{"/api/v1/me", "/api/v1/devices"} {
		if rec := serve(p); rec.Code != 503 || !strings.Contains(rec.Body.String(), codeNotAvailable) {
			t.Errorf("%s without a store: %d %s", p, rec.Code, rec.Body)
		}
	}
	if rec := serve("/healthz"); rec.Code != 200 {
		t.Errorf("healthz: %d", rec.Code)
	}
	if rec := serve("/metrics"); rec.Code != 404 {
		t.Errorf("metrics without a handler: %d", rec.Code)
	}
}
