package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/internal/testutil"
)

// apiClient calls hamletd's HTTP API as one signed-in user, signing in
// again whenever the session is gone (a SIGKILLed daemon's restart).
type apiClient struct {
	t          *testing.T
	h          *hamletd
	c          *http.Client
	user, pass string
}

// newAdmin adds an admin with `hamletd user add` on h's config and returns
// a client signed in as them.
func newAdmin(t *testing.T, h *hamletd, user, pass string) *apiClient {
	t.Helper()
	add := exec.Command(hamletdBin, "user", "add", user, "--role", "admin", "--config", h.config)
	add.Env, add.Stdin = testutil.DaemonEnv(), strings.NewReader(pass+"\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("hamletd user add %s: %v %s", user, err, out)
	}
	jar, _ := cookiejar.New(nil)
	a := &apiClient{t: t, h: h, c: &http.Client{Jar: jar, Timeout: 20 * time.Second}, user: user, pass: pass}
	a.login()
	return a
}

func (a *apiClient) login() {
	a.t.Helper()
	body := fmt.Sprintf(`{"username":%q,"password":%q}`, a.user, a.pass)
	if st, b, err := a.do("POST", "/api/v1/login", []byte(body)); err != nil || st != http.StatusOK {
		a.t.Fatalf("login as %s: %d %s %v", a.user, st, b, err)
	}
}

// do sends one request; body is JSON or nil.
func (a *apiClient) do(method, path string, body []byte) (int, []byte, error) {
	req, err := http.NewRequest(method, a.h.httpURL+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := a.c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

// call sends v as JSON (nil: no body) and decodes the answer into out
// (nil: ignored), signing in again on 401. It returns the status; a
// transport error fails the test.
func (a *apiClient) call(method, path string, v, out any) int {
	a.t.Helper()
	var body []byte
	if v != nil {
		var err error
		if body, err = json.Marshal(v); err != nil {
			a.t.Fatal(err)
		}
	}
	st, b, err := a.do(method, path, body)
	if err == nil && st == http.StatusUnauthorized {
		a.login()
		st, b, err = a.do(method, path, body)
	}
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	if out != nil && st < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			a.t.Fatalf("%s %s: %d %s: %v", method, path, st, b, err)
		}
	}
	if st >= 300 {
		a.t.Logf("%s %s: %d %s", method, path, st, bytes.TrimSpace(b))
	}
	return st
}
