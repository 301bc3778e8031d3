package web

import (
	"strconv"
	"testing"
	"time"
)

func TestLoginThrottlePerUser(t *testing.T) {
	f := newFixture(t, nil)
	wrong := `{"username":"vi","password":"sai-mat-khau"}`
	for i := 0; i < 5; i++ {
		f.clock.Advance(time.Minute)
		if code, body := f.call(nil, "POST", "/api/v1/login", wrong); code != 401 || body["code"] != codeBadCredentials {
			t.Fatalf("failure %d: %d %v", i+1, code, body)
		}
	}
	// Blocked now, even with the right password; another user is not.
	resp := f.do(nil, "POST", "/api/v1/login", `{"username":"vi","password":"`+testPassword+`"}`)
	body := readAll(resp)
	if resp.StatusCode != 429 {
		t.Fatalf("6th attempt: %d %s", resp.StatusCode, body)
	}
	// The first failure was 4 minutes ago; it leaves the 15-minute window in 11.
	if ra, _ := strconv.Atoi(resp.Header.Get("Retry-After")); ra != 11*60 {
		t.Errorf("Retry-After = %q, want %d", resp.Header.Get("Retry-After"), 11*60)
	}
	f.login("an", testPassword)
	if _, ok := f.findAudit("login", "throttled"); !ok {
		t.Error("throttled sign-in not audited")
	}
	f.clock.Advance(11 * time.Minute)
	f.login("vi", testPassword)
}

func TestLoginThrottlePerAddress(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.Login = LoginLimits{PerAddress: 10} })
	for i := 0; i < 10; i++ {
		code, _ := f.call(nil, "POST", "/api/v1/login", `{"username":"guess`+strconv.Itoa(i)+`","password":"sai-mat-khau"}`)
		if code != 401 {
			t.Fatalf("failure %d: %d", i+1, code)
		}
	}
	resp := f.do(nil, "POST", "/api/v1/login", `{"username":"an","password":"`+testPassword+`"}`)
	body := readAll(resp)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("after 10 failures from one address: %d %s (Retry-After %q)", resp.StatusCode, body, resp.Header.Get("Retry-After"))
	}
	f.clock.Advance(15 * time.Minute)
	f.login("an", testPassword)
}

func TestLimiterWindowAndBound(t *testing.T) {
	l := newLimiter(2, time.Minute)
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	l.fail("k", now)
	l.fail("k", now.Add(10*time.Second))
	if w := l.wait("k", now.Add(20*time.Second)); w != 40*time.Second {
		t.Errorf("wait = %v, want 40s", w)
	}
	if w := l.wait("k", now.Add(61*time.Second)); w != 0 {
		t.Errorf("after the window: %v", w)
	}
	for i := 0; i < maxThrottleKeys+10; i++ {
		l.fail(strconv.Itoa(i), now)
	}
	if n := len(l.fails); n > maxThrottleKeys {
		t.Errorf("limiter keeps %d keys, bound %d", n, maxThrottleKeys)
	}
}
