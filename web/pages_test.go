package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/snapshots"
)

// page fetches path as principal a without following redirects.
func (f *fixture) page(a auth, method, path, form string) (*http.Response, string) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.ts.URL+path, strings.NewReader(form))
	if err != nil {
		f.t.Fatal(err)
	}
	if form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if a != nil {
		a(req)
	}
	c := *f.ts.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	return resp, readAll(resp)
}

func TestPagesSignedOutGoToLoginAndBack(t *testing.T) {
	f := newFixture(t, nil)
	resp, body := f.page(nil, "GET", "/", "")
	if resp.StatusCode != 200 || !strings.Contains(body, `<html lang="vi">`) || !strings.Contains(body, `id="login-form"`) {
		t.Fatalf("GET / signed out: %d\n%s", resp.StatusCode, body)
	}
	for _, p := range []string{"/lights", "/speakers", "/cameras", "/reports", "/audit", "/users", "/cameras/cam-b1/snapshot.jpg"} {
		resp, _ := f.page(nil, "GET", p+"?x=1", "")
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/?next="+strings.ReplaceAll(p, "/", "%2F")+"%3Fx%3D1" {
			t.Errorf("GET %s signed out: %d Location %q", p, resp.StatusCode, loc)
		}
	}
	resp, body = f.page(nil, "GET", "/?next=%2Flights", "")
	if !strings.Contains(body, `data-next="/lights"`) {
		t.Errorf("login keeps next: %s", body)
	}
	// Signed in, the login's next leads on; a foreign next does not leave the site.
	a := f.as(viewer)
	if resp, _ := f.page(a, "GET", "/?next=%2Flights", ""); resp.Header.Get("Location") != "/lights" {
		t.Errorf("next after sign-in: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := f.page(a, "GET", "/?next=%2F%2Fevil.example", ""); resp.StatusCode != 200 {
		t.Errorf("foreign next: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestPagesNavigationAndRoles(t *testing.T) {
	f := newFixture(t, nil)
	labels := []string{"Tổng quan", "Đèn", "Loa", "Camera", "Báo cáo", "Nhật ký"}
	for _, who := range []string{viewer, opA, admin} {
		a := f.as(who)
		for _, p := range []string{"/", "/lights", "/speakers", "/cameras", "/reports", "/audit"} {
			resp, body := f.page(a, "GET", p, "")
			if resp.StatusCode != 200 || !strings.Contains(body, `<html lang="vi">`) {
				t.Fatalf("%s GET %s: %d", who, p, resp.StatusCode)
			}
			if resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
				t.Errorf("%s: Content-Type %q", p, resp.Header.Get("Content-Type"))
			}
			for _, l := range labels {
				if !strings.Contains(body, ">"+l+"</a>") {
					t.Errorf("%s GET %s: nav lacks %q", who, p, l)
				}
			}
			if got := strings.Contains(body, ">Người dùng</a>"); got != (who == admin) {
				t.Errorf("%s GET %s: Người dùng in nav = %v", who, p, got)
			}
		}
	}
	if resp, _ := f.page(f.as(opA), "GET", "/users", ""); resp.StatusCode != http.StatusForbidden {
		t.Errorf("operator GET /users: %d", resp.StatusCode)
	}

	_, body := f.page(f.as(viewer), "GET", "/lights", "")
	if strings.Contains(body, "data-set=") || strings.Contains(body, "data-bright") {
		t.Error("a viewer is offered light controls")
	}
	if !strings.Contains(body, `data-device="den-b1"`) || !strings.Contains(body, `data-device="den-a1"`) {
		t.Error("a viewer limited to no zone should see every lamp")
	}
	_, body = f.page(f.as(opA), "GET", "/lights", "")
	if !strings.Contains(body, `data-set="on"`) || strings.Contains(body, "den-b1") || strings.Contains(body, "Ngõ B") {
		t.Errorf("operator A: controls for zone A only:\n%s", body)
	}
	if !strings.Contains(body, "Điều khiển đèn chưa sẵn sàng") {
		t.Error("without the lights capability the page says it is not available yet")
	}
}

func TestPagesLanguageIsRememberedPerUser(t *testing.T) {
	f := newFixture(t, nil)
	a := f.as(opA)
	resp, _ := f.page(a, "POST", "/lang", "lang=en&back=%2Flights")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/lights" {
		t.Fatalf("POST /lang: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// A new session of the same user, without the cookie, reads English.
	_, body := f.page(f.as(opA), "GET", "/lights", "")
	if !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, ">Lights</a>") {
		t.Fatalf("after choosing English: %s", body[:300])
	}
	if _, body := f.page(f.as(viewer), "GET", "/", ""); !strings.Contains(body, `<html lang="vi">`) {
		t.Error("another user's language changed")
	}
	if resp, _ := f.page(nil, "POST", "/lang", "lang=en&back=https%3A%2F%2Fevil.example"); resp.Header.Get("Location") != "/" {
		t.Errorf("back outside the site: %q", resp.Header.Get("Location"))
	}
}

func TestLoginRememberSetsALastingCookie(t *testing.T) {
	f := newFixture(t, nil)
	for _, tc := range []struct {
		body    string
		lasting bool
	}{
		{`{"username":"vi","password":"` + testPassword + `"}`, true},
		{`{"username":"vi","password":"` + testPassword + `","remember":true}`, true},
		{`{"username":"vi","password":"` + testPassword + `","remember":false}`, false},
	} {
		resp := f.do(nil, "POST", "/api/v1/login", tc.body)
		readAll(resp)
		var c *http.Cookie
		for _, k := range resp.Cookies() {
			if k.Name == SessionCookie {
				c = k
			}
		}
		if resp.StatusCode != 200 || c == nil {
			t.Fatalf("%s: %d", tc.body, resp.StatusCode)
		}
		if got := c.MaxAge > 0; got != tc.lasting {
			t.Errorf("%s: lasting cookie = %v (Max-Age %d)", tc.body, got, c.MaxAge)
		}
		if !tc.lasting {
			f.clock.Add(ShortSessionTTL + time.Minute)
			if st, _ := f.call(withCookie(c), "GET", "/api/v1/me", ""); st != http.StatusUnauthorized {
				t.Errorf("short session after %v: %d", ShortSessionTTL, st)
			}
		}
	}
}

func TestSnapshotOnlyForTheCamerasZone(t *testing.T) {
	k := snapshots.New()
	jpeg := []byte{0xFF, 0xD8, 0xFF, 0xE0, 1, 2}
	k.Put("cam-b1", "person", jpeg, time.Now())
	f := newFixture(t, func(o *Options) { o.Snapshots = k; o.StreamURLs = map[string]string{"cam-b1": "rtsp://10.0.0.5/cong"} })
	if resp, _ := f.page(f.as(opA), "GET", "/cameras/cam-b1/snapshot.jpg", ""); resp.StatusCode != http.StatusForbidden {
		t.Errorf("operator of another zone: %d", resp.StatusCode)
	}
	resp, body := f.page(f.as(opB), "GET", "/cameras/cam-b1/snapshot.jpg", "")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" || body != string(jpeg) {
		t.Errorf("operator of the zone: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp, _ := f.page(f.as(opB), "GET", "/cameras/den-b1/snapshot.jpg", ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("not a camera: %d", resp.StatusCode)
	}
	_, body = f.page(f.as(opB), "GET", "/cameras", "")
	if !strings.Contains(body, `src="/cameras/cam-b1/snapshot.jpg"`) || !strings.Contains(body, `href="rtsp://10.0.0.5/cong"`) {
		t.Errorf("camera page lacks the snapshot or stream link:\n%s", body)
	}
}

func TestStaticAssetsAreEmbeddedAndGzipped(t *testing.T) {
	f := newFixture(t, nil)
	for _, p := range []string{"/static/app.js", "/static/app.css", "/manifest.webmanifest", "/static/icon.svg", "/static/icon-192.png"} {
		resp, body := f.page(nil, "GET", p, "")
		if resp.StatusCode != 200 || len(body) == 0 {
			t.Errorf("GET %s: %d", p, resp.StatusCode)
		}
	}
	if resp, _ := f.page(nil, "GET", "/static/nope.js", ""); resp.StatusCode != 404 {
		t.Errorf("unknown asset: %d", resp.StatusCode)
	}
}
