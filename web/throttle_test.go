package web

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"
)

// proxied makes the fixture trust its loopback peer as a reverse proxy, so
// that tests choose the client address with X-Forwarded-For.
func proxied(o *Options) { o.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} }

// loginFrom signs in as user from addr (through the trusted proxy) and returns the response.
func (f *fixture) loginFrom(addr, user, password string) *http.Response {
	f.t.Helper()
	return f.do(nil, "POST", "/api/v1/login", `{"username":"`+user+`","password":"`+password+`"}`,
		"X-Forwarded-For", addr)
}

// expectStatus reads resp and fails unless its status is want.
func expectStatus(t *testing.T, what string, resp *http.Response, want int) string {
	t.Helper()
	body := readAll(resp)
	if resp.StatusCode != want {
		t.Fatalf("%s: %d %s, want %d", what, resp.StatusCode, body, want)
	}
	return body
}

// TestThrottleGrowingDelayPerAddress: three free failures, then 1, 2, 4 ...
// minutes, capped at 15, for that account from that address.
func TestThrottleGrowingDelayPerAddress(t *testing.T) {
	f := newFixture(t, proxied)
	const prankster = "203.0.113.7"
	for i := range 3 {
		expectStatus(t, "free failure "+strconv.Itoa(i+1), f.loginFrom(prankster, "an", "sai"), 401)
	}
	for _, want := range []time.Duration{1, 2, 4, 8, 15, 15} {
		resp := f.loginFrom(prankster, "an", testPassword)
		expectStatus(t, "right password while delayed", resp, 429)
		if ra := resp.Header.Get("Retry-After"); ra != strconv.Itoa(int(want*60)) {
			t.Fatalf("Retry-After = %s, want %d", ra, want*60)
		}
		f.clock.Add(want*time.Minute - time.Second)
		expectStatus(t, "a second early", f.loginFrom(prankster, "an", "sai"), 429)
		f.clock.Add(time.Second)
		expectStatus(t, "after the delay", f.loginFrom(prankster, "an", "sai"), 401)
	}
}

// TestThrottleOtherAddressNotLockedOut is the area head's case: a prankster
// failing from one address does not stop the owner signing in from another.
func TestThrottleOtherAddressNotLockedOut(t *testing.T) {
	f := newFixture(t, proxied)
	for range 10 {
		f.loginFrom("203.0.113.7", "an", "sai").Body.Close()
	}
	expectStatus(t, "prankster", f.loginFrom("203.0.113.7", "an", testPassword), 429)
	expectStatus(t, "owner from the phone", f.loginFrom("198.51.100.20", "an", testPassword), 200)
}

// TestThrottleSuccessResetsDelay: a right password clears the delay of that
// account from that address.
func TestThrottleSuccessResetsDelay(t *testing.T) {
	f := newFixture(t, proxied)
	for range 2 {
		expectStatus(t, "failure", f.loginFrom("198.51.100.20", "an", "sai"), 401)
	}
	expectStatus(t, "right password", f.loginFrom("198.51.100.20", "an", testPassword), 200)
	for range 3 {
		expectStatus(t, "free again", f.loginFrom("198.51.100.20", "an", "sai"), 401)
	}
}

// TestThrottleAccountCeiling: many addresses guessing one account hit the
// per-account ceiling, which then holds for every address.
func TestThrottleAccountCeiling(t *testing.T) {
	f := newFixture(t, func(o *Options) { proxied(o); o.Login = LoginLimits{PerAccount: 6} })
	for i := range 6 {
		expectStatus(t, "guess", f.loginFrom("203.0.113."+strconv.Itoa(i+1), "an", "sai"), 401)
	}
	expectStatus(t, "fresh address", f.loginFrom("198.51.100.20", "an", testPassword), 429)
	expectStatus(t, "other account", f.loginFrom("198.51.100.20", "vi", testPassword), 200)
	f.clock.Add(15 * time.Minute)
	expectStatus(t, "after the window", f.loginFrom("198.51.100.20", "an", testPassword), 200)
}

// TestThrottleAddressCeiling: one address guessing many accounts is refused
// for every account; other addresses are not.
func TestThrottleAddressCeiling(t *testing.T) {
	f := newFixture(t, func(o *Options) { proxied(o); o.Login = LoginLimits{PerAddress: 10} })
	for i := range 10 {
		expectStatus(t, "guess", f.loginFrom("203.0.113.7", "guess"+strconv.Itoa(i), "sai"), 401)
	}
	expectStatus(t, "same address", f.loginFrom("203.0.113.7", "an", testPassword), 429)
	expectStatus(t, "other address", f.loginFrom("198.51.100.20", "an", testPassword), 200)
	f.clock.Add(15 * time.Minute)
	expectStatus(t, "after the window", f.loginFrom("203.0.113.7", "an", testPassword), 200)
}

// TestThrottleMessageInMinutes: the 429 says the wait in minutes,
// Vietnamese first, and keeps retry_after_s; the refusal is audited.
func TestThrottleMessageInMinutes(t *testing.T) {
	f := newFixture(t, nil)
	for range 3 {
		f.call(nil, "POST", "/api/v1/login", `{"username":"vi","password":"sai"}`)
	}
	f.clock.Add(time.Minute)
	f.call(nil, "POST", "/api/v1/login", `{"username":"vi","password":"sai"}`)
	f.clock.Add(30 * time.Second)
	code, body := f.call(nil, "POST", "/api/v1/login", `{"username":"vi","password":"`+testPassword+`"}`)
	// Four failures: the last one costs 2 minutes, 90 s of them left.
	want := "Đăng nhập sai quá nhiều lần, hãy thử lại sau 2 phút / too many failed sign-ins, try again in 2 min"
	if code != 429 || body["error"] != want || body["retry_after_s"] != float64(90) || body["code"] != codeThrottled {
		t.Fatalf("429 = %d %v\nwant error %q, retry_after_s 90", code, body, want)
	}
	if _, ok := f.findAudit("login", "throttled"); !ok {
		t.Error("throttled sign-in not audited")
	}
}

// TestThrottleWrongCurrentPassword: wrong current passwords on a password
// change count like failed sign-ins.
func TestThrottleWrongCurrentPassword(t *testing.T) {
	f := newFixture(t, nil)
	a := f.as(viewer)
	for range 3 {
		if code, _ := f.call(a, "POST", "/api/v1/users/vi/password", `{"current_password":"sai","password":"mat-khau-moi-12345"}`); code != 400 {
			t.Fatalf("wrong current password: %d", code)
		}
	}
	code, body := f.call(a, "POST", "/api/v1/users/vi/password", `{"current_password":"`+testPassword+`","password":"mat-khau-moi-12345"}`)
	if code != 429 || !strings.Contains(body["error"].(string), "phút") {
		t.Fatalf("4th try: %d %v", code, body)
	}
}

func TestClientAddr(t *testing.T) {
	s := New(Options{TrustedProxies: []netip.Prefix{
		netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}})
	for _, tt := range []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"direct", "198.51.100.20:5000", nil, "198.51.100.20"},
		{"forged by an untrusted peer", "198.51.100.20:5000", []string{"1.2.3.4"}, "198.51.100.20"},
		{"proxy without header", "10.0.0.5:5000", nil, "10.0.0.5"},
		{"proxy", "10.0.0.5:5000", []string{"198.51.100.20"}, "198.51.100.20"},
		{"client prepends a forged hop", "10.0.0.5:5000", []string{"1.2.3.4, 198.51.100.20"}, "198.51.100.20"},
		{"two proxies", "10.0.0.5:5000", []string{"198.51.100.20, 10.0.0.9"}, "198.51.100.20"},
		{"two headers", "10.0.0.5:5000", []string{"1.2.3.4", "198.51.100.20"}, "198.51.100.20"},
		{"garbage hop", "10.0.0.5:5000", []string{"198.51.100.20, not-an-ip"}, "10.0.0.5"},
		{"ipv6 proxy", "[fd00::1]:5000", []string{"2001:db8::7"}, "2001:db8::7"},
		{"ipv4-mapped peer", "[::ffff:10.0.0.5]:5000", []string{"198.51.100.20"}, "198.51.100.20"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.peer
		for _, v := range tt.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := s.clientAddr(r); got != tt.want {
			t.Errorf("%s: clientAddr = %q, want %q", tt.name, got, tt.want)
		}
	}
	// With no trusted proxy, the header is never read.
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "127.0.0.1:5000"
	r.Header.Set("X-Forwarded-For", "1.2.3.4")
	if got := New(Options{}).clientAddr(r); got != "127.0.0.1" {
		t.Errorf("untrusted: %q", got)
	}
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

func TestBackoffForgetsAndBounds(t *testing.T) {
	lim := LoginLimits{}
	lim.fill()
	b := newBackoff(lim.delay, time.Hour)
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for range 5 {
		b.fail("k", now)
	}
	if w := b.wait("k", now); w != 4*time.Minute {
		t.Errorf("after 5 failures: %v, want 4m", w)
	}
	if w := b.wait("k", now.Add(time.Hour)); w != 0 {
		t.Errorf("after an hour's quiet: %v", w)
	}
	for i := 0; i < maxThrottleKeys+10; i++ {
		b.fail(strconv.Itoa(i), now)
	}
	if n := len(b.state); n > maxThrottleKeys {
		t.Errorf("backoff keeps %d keys, bound %d", n, maxThrottleKeys)
	}
}

// TestThrottleIgnoresForgedForwardedFor: without a trusted proxy, a client
// cannot escape its delay by sending X-Forwarded-For with a new address.
func TestThrottleIgnoresForgedForwardedFor(t *testing.T) {
	f := newFixture(t, nil)
	for i := range 3 {
		expectStatus(t, "failure", f.loginFrom("203.0.113."+strconv.Itoa(i+1), "an", "sai"), 401)
	}
	expectStatus(t, "forged new address", f.loginFrom("198.51.100.99", "an", testPassword), 429)
	if e, ok := f.findAudit("login", "throttled"); !ok || e.Source != "127.0.0.1" {
		t.Errorf("audited source = %+v, want the peer 127.0.0.1", e)
	}
}
