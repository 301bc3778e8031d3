package web

import "testing"

func TestCrossOriginPostRejected(t *testing.T) {
	f := newFixture(t, withHooks)
	opa := f.as(opA)
	cmd := `{"target":{"devices":["den-a1"]},"set":{"on":true}}`
	for _, h := range [][]string{
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site"},
		{"Origin", "http://evil.example"}, // an old browser: no Sec-Fetch-Site
	} {
		code, body := f.call(opa, "POST", "/api/v1/commands", cmd, h...)
		if code != 403 || body["code"] != codeCrossOrigin {
			t.Errorf("%s: %s: %d %v, want 403 cross_origin", h[0], h[1], code, body)
		}
		code, body = f.call(nil, "POST", "/api/v1/login", `{"username":"an","password":"`+testPassword+`"}`, h...)
		if code != 403 || body["code"] != codeCrossOrigin {
			t.Errorf("login %s: %s: %d %v", h[0], h[1], code, body)
		}
	}
	// Same origin, and non-browser clients (no such headers), pass; so do reads.
	if code, body := f.call(opa, "POST", "/api/v1/commands", cmd, "Sec-Fetch-Site", "same-origin"); code != 200 {
		t.Errorf("same-origin: %d %v", code, body)
	}
	if code, body := f.call(opa, "POST", "/api/v1/commands", cmd, "Origin", f.ts.URL); code != 200 {
		t.Errorf("Origin equal to Host: %d %v", code, body)
	}
	if code, _ := f.call(opa, "GET", "/api/v1/devices", "", "Sec-Fetch-Site", "cross-site"); code != 200 {
		t.Errorf("cross-site GET: %d", code)
	}
}

func TestTrustedOrigin(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.TrustedOrigins = []string{"https://hamlet.example"} })
	code, _ := f.call(nil, "POST", "/api/v1/login", `{"username":"an","password":"`+testPassword+`"}`,
		"Sec-Fetch-Site", "cross-site", "Origin", "https://hamlet.example")
	if code != 200 {
		t.Errorf("trusted origin refused: %d", code)
	}
	bad := New(Options{Addr: "127.0.0.1:0", TrustedOrigins: []string{"not a url"}})
	if err := bad.Listen(); err == nil {
		t.Error("Listen accepted a malformed trusted origin")
	}
}
