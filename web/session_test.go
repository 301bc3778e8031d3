package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/accounts"
)

func TestSessionCookieAttributes(t *testing.T) {
	f := newFixture(t, nil)
	c := f.login("An ", testPassword) // phones capitalise; spaces are trimmed
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure || c.Path != "/" {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, not Secure over plain HTTP, Path=/", c)
	}
	if len(c.Value) < 43 { // 32 random bytes in base64
		t.Errorf("session id %q is shorter than 256 bits", c.Value)
	}
	if c.MaxAge != int((30 * 24 * time.Hour).Seconds()) {
		t.Errorf("MaxAge = %d", c.MaxAge)
	}
	code, me := f.call(withCookie(c), "GET", "/api/v1/me", "")
	if code != 200 || me["name"] != "an" || me["role"] != "admin" || me["auth"] != "session" || me["all_zones"] != true {
		t.Fatalf("me = %d %v", code, me)
	}
	code, me = f.call(f.as(opA), "GET", "/api/v1/me", "")
	if code != 200 || me["all_zones"] != false || len(me["visible_zones"].([]any)) != 1 {
		t.Fatalf("operator A me = %d %v", code, me)
	}
}

func TestSessionIdleTimeoutAndExpiry(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.Sessions = accounts.SessionLimits{TTL: 10 * time.Hour, Idle: time.Hour} })
	c := withCookie(f.login("vi", testPassword))
	// Used just within the idle timeout, the session lives on, until its TTL.
	for i := 0; i < 9; i++ {
		f.clock.Add(59 * time.Minute)
		if code, body := f.call(c, "GET", "/api/v1/me", ""); code != 200 {
			t.Fatalf("after %d idle periods: %d %v", i+1, code, body)
		}
	}
	f.clock.Add(59 * time.Minute) // 9h51m in, still within the TTL
	if code, _ := f.call(c, "GET", "/api/v1/me", ""); code != 200 {
		t.Fatalf("before TTL: %d", code)
	}
	f.clock.Add(10 * time.Minute) // past the 10h TTL
	resp := f.do(c, "GET", "/api/v1/me", "")
	body := readAll(resp)
	if resp.StatusCode != 401 || !strings.Contains(body, codeExpired) {
		t.Fatalf("after TTL: %d %s", resp.StatusCode, body)
	}
	if !clearsCookie(resp) {
		t.Error("an expired session's cookie is not cleared")
	}

	c = withCookie(f.login("vi", testPassword))
	f.clock.Add(time.Hour) // idle for the whole idle timeout
	if code, body := f.call(c, "GET", "/api/v1/me", ""); code != 401 || body["code"] != codeExpired {
		t.Fatalf("after idle timeout: %d %v", code, body)
	}
}

func clearsCookie(resp *http.Response) bool {
	for _, c := range resp.Cookies() {
		if c.Name == SessionCookie && c.MaxAge < 0 {
			return true
		}
	}
	return false
}

func TestLogoutInvalidatesSession(t *testing.T) {
	f := newFixture(t, nil)
	cookie := f.login("opa", testPassword)
	other := withCookie(f.login("opa", testPassword))
	resp := f.do(withCookie(cookie), "POST", "/api/v1/logout", "")
	readAll(resp)
	if resp.StatusCode != 204 || !clearsCookie(resp) {
		t.Fatalf("logout: %d, cookie cleared %v", resp.StatusCode, clearsCookie(resp))
	}
	if code, body := f.call(withCookie(cookie), "GET", "/api/v1/me", ""); code != 401 || body["code"] != codeExpired {
		t.Fatalf("after logout: %d %v", code, body)
	}
	if code, _ := f.call(other, "GET", "/api/v1/me", ""); code != 200 {
		t.Fatalf("logout ended the user's other session: %d", code)
	}
	if code, _ := f.call(withCookie(cookie), "POST", "/api/v1/logout", ""); code != 401 {
		t.Fatalf("second logout: %d", code)
	}
}

func TestPasswordChangeEndsSessions(t *testing.T) {
	f := newFixture(t, nil)
	s1, s2 := withCookie(f.login("opa", testPassword)), withCookie(f.login("opa", testPassword))
	if code, body := f.call(f.as(admin), "POST", "/api/v1/users/opa/password", `{"password":"mat-khau-moi-9"}`); code != 204 {
		t.Fatalf("admin sets password: %d %v", code, body)
	}
	for _, s := range []auth{s1, s2} {
		if code, _ := f.call(s, "GET", "/api/v1/me", ""); code != 401 {
			t.Errorf("session survives a password change: %d", code)
		}
	}
	if code, _ := f.call(nil, "POST", "/api/v1/login", `{"username":"opa","password":"`+testPassword+`"}`); code != 401 {
		t.Errorf("old password still works: %d", code)
	}

	// Changing one's own password needs the current one.
	me := withCookie(f.login("vi", testPassword))
	if code, body := f.call(me, "POST", "/api/v1/users/vi/password", `{"password":"mat-khau-moi-9"}`); code != 400 || body["field"] != "current_password" {
		t.Fatalf("without current_password: %d %v", code, body)
	}
	if code, body := f.call(me, "POST", "/api/v1/users/vi/password", `{"password":"mat-khau-moi-9","current_password":"sai-roi-nhe"}`); code != 400 || body["code"] != codeBadCredentials {
		t.Fatalf("wrong current_password: %d %v", code, body)
	}
	if code, body := f.call(me, "POST", "/api/v1/users/vi/password", `{"password":"short","current_password":"`+testPassword+`"}`); code != 400 || body["field"] != "password" {
		t.Fatalf("short password: %d %v", code, body)
	}
	if code, body := f.call(me, "POST", "/api/v1/users/vi/password", `{"password":"mat-khau-moi-9","current_password":"`+testPassword+`"}`); code != 204 {
		t.Fatalf("own password change: %d %v", code, body)
	}
	if code, _ := f.call(me, "GET", "/api/v1/me", ""); code != 401 {
		t.Errorf("own session survives own password change: %d", code)
	}
	f.login("vi", "mat-khau-moi-9")
	// A user may not change someone else's password.
	if code, _ := f.call(f.as(opB), "POST", "/api/v1/users/vi/password", `{"password":"mat-khau-moi-8"}`); code != 403 {
		t.Errorf("operator changes another user's password: %d", code)
	}
}

func TestDisabledUserCannotSignIn(t *testing.T) {
	f := newFixture(t, nil)
	s := withCookie(f.login("opb", testPassword))
	if code, body := f.call(f.as(admin), "PUT", "/api/v1/users/opb", `{"disabled":true}`); code != 200 || body["disabled"] != true {
		t.Fatalf("disable: %d %v", code, body)
	}
	if code, _ := f.call(s, "GET", "/api/v1/me", ""); code != 401 {
		t.Errorf("disabled user's session still works: %d", code)
	}
	if code, body := f.call(nil, "POST", "/api/v1/login", `{"username":"opb","password":"`+testPassword+`"}`); code != 401 || body["code"] != codeBadCredentials {
		t.Errorf("disabled user signs in: %d %v", code, body)
	}
	if e, ok := f.findAudit("login", "failed"); !ok || e.Error != "user disabled" {
		t.Errorf("audit of the refused sign-in: %+v", e)
	}
}
