package web

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/testutil"
	"github.com/hamlet-vn/hamlet/store"
)

// clock is the tests' injected time.
type clock = testutil.Clock

// testPassword is every fixture user's password.
const testPassword = "mat-khau-an-toan"

// cheap argon2id parameters keep tests fast.
var cheap = accounts.PasswordParams{Memory: 64, Time: 1, Threads: 1}

// fixture is a real server (real store in a temp dir, a registry with devices
// in zones ngo-a and ngo-b) behind httptest, with signed-in principals.
type fixture struct {
	t      *testing.T
	srv    *Server
	ts     *httptest.Server
	db     *store.DB
	reg    *devices.Registry
	clock  *clock
	sink   *fakeSink
	token  string // an operator API token limited to no zone
	tokens map[string]int64
}

// principals of the authorization matrix.
const (
	anon     = "anonymous"
	viewer   = "viewer"
	opA      = "operator A"
	opB      = "operator B"
	admin    = "admin"
	bearer   = "bearer token"
	nobody   = ""
	zoneA    = "ngo-a"
	zoneB    = "ngo-b"
	t0String = "2026-11-01T08:00:00+07:00"
)

var principals = []string{anon, viewer, opA, opB, admin, bearer}

// userOf maps a principal to its user name.
var userOf = map[string]string{viewer: "vi", opA: "opa", opB: "opb", admin: "an"}

func testDevices() []devices.Device {
	return []devices.Device{
		{ID: "den-a1", Name: "Đèn A1", Kind: devices.Light, Zone: zoneA, Protocol: devices.Native},
		{ID: "den-a2", Name: "Đèn A2", Kind: devices.Light, Zone: zoneA, Protocol: devices.Tasmota, Topic: "den_a2"},
		{ID: "loa-a1", Name: "Loa A1", Kind: devices.Speaker, Zone: zoneA, Protocol: devices.Native},
		{ID: "den-b1", Name: "Đèn B1", Kind: devices.Light, Zone: zoneB, Protocol: devices.Native},
		{ID: "loa-b1", Name: "Loa B1", Kind: devices.Speaker, Zone: zoneB, Protocol: devices.Native},
		{ID: "cam-b1", Name: "Camera B1", Kind: devices.Camera, Zone: zoneB, Protocol: devices.Frigate, Topic: "cong"},
	}
}

// newFixture starts a server; edit adjusts its options first.
func newFixture(t *testing.T, edit func(*Options)) *fixture {
	t.Helper()
	ctx := context.Background()
	t0, _ := time.Parse(time.RFC3339, t0String)
	clk := testutil.NewClock(t0)
	db, err := store.Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = clk.Now
	reg := devices.NewRegistry(testDevices(), nil, t0)
	promReg := prometheus.NewRegistry()
	f := &fixture{t: t, db: db, reg: reg, clock: clk, sink: &fakeSink{}, tokens: map[string]int64{}}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	opts := Options{
		Store: db, Devices: reg, Location: loc, Now: clk.Now, Password: cheap, AuditSink: f.sink,
		Zones:      []Zone{{ID: zoneA, Name: "Ngõ A"}, {ID: zoneB, Name: "Ngõ B"}},
		Registerer: promReg, Metrics: promhttp.HandlerFor(promReg, promhttp.HandlerOpts{}),
	}
	if edit != nil {
		edit(&opts)
	}
	f.srv = New(opts)
	f.ts = httptest.NewServer(f.srv.Handler())
	t.Cleanup(f.ts.Close)
	for _, u := range []accounts.NewUser{
		{Name: "an", Role: "admin"}, {Name: "vi", Role: "viewer"},
		{Name: "opa", Role: "operator", Zones: []string{zoneA}}, {Name: "opb", Role: "operator", Zones: []string{zoneB}},
		{Name: "zed", Role: "viewer"},
	} {
		u.Password = testPassword
		if _, err := accounts.CreateUser(ctx, db, u, []string{zoneA, zoneB}, cheap); err != nil {
			t.Fatal(err)
		}
	}
	f.token = f.addToken("scada", "operator")
	f.addToken("spare", "viewer")
	return f
}

// addToken stores an API token and returns its secret.
func (f *fixture) addToken(name, role string) string {
	secret := accounts.TokenPrefix + name + "-0123456789abcdef0123456789abcdef"
	tok, err := f.db.CreateToken(context.Background(), store.Token{Name: name, Role: role, Hash: accounts.SecretHash(secret), CreatedBy: "an"})
	if err != nil {
		f.t.Fatal(err)
	}
	f.tokens[name] = tok.ID
	return secret
}

// login signs user in and returns the session cookie.
func (f *fixture) login(user, password string) *http.Cookie {
	f.t.Helper()
	resp := f.do(nil, "POST", "/api/v1/login", `{"username":"`+user+`","password":"`+password+`"}`)
	body := readAll(resp)
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("login %s: %d %s", user, resp.StatusCode, body)
	}
	for _, c := range resp.Cookies() {
		if c.Name == SessionCookie {
			return c
		}
	}
	f.t.Fatalf("login %s: no session cookie", user)
	return nil
}

// auth is how a principal authenticates a request.
type auth func(*http.Request)

func withCookie(c *http.Cookie) auth { return func(r *http.Request) { r.AddCookie(c) } }
func withBearer(tok string) auth {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
}

// as returns a fresh authentication for principal p.
func (f *fixture) as(p string) auth {
	switch p {
	case anon:
		return nil
	case bearer:
		return withBearer(f.token)
	}
	return withCookie(f.login(userOf[p], testPassword))
}

// do sends a request; body "" sends none.
func (f *fixture) do(a auth, method, path, body string, headers ...string) *http.Response {
	f.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, f.ts.URL+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if a != nil {
		a(req)
	}
	resp, err := f.ts.Client().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	return resp
}

// call sends a request and returns its status and decoded JSON body.
func (f *fixture) call(a auth, method, path, body string, headers ...string) (int, map[string]any) {
	f.t.Helper()
	resp := f.do(a, method, path, body, headers...)
	raw := readAll(resp)
	var m map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			f.t.Fatalf("%s %s: body is not JSON: %q", method, path, raw)
		}
	}
	return resp.StatusCode, m
}

func readAll(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// audit returns the stored audit entries, oldest first.
func (f *fixture) audit() []store.AuditEntry {
	es, err := f.db.Audit(context.Background(), store.AuditQuery{To: f.clock.Now().Add(time.Hour), Limit: 10000, Scope: store.AuditScope{All: true}})
	if err != nil {
		f.t.Fatal(err)
	}
	for i, j := 0, len(es)-1; i < j; i, j = i+1, j-1 {
		es[i], es[j] = es[j], es[i]
	}
	return es
}

// findAudit returns the last entry with the given action and result.
func (f *fixture) findAudit(action, result string) (store.AuditEntry, bool) {
	es := f.audit()
	for i := len(es) - 1; i >= 0; i-- {
		if es[i].Action == action && es[i].Result == result {
			return es[i], true
		}
	}
	return store.AuditEntry{}, false
}

// sseReader reads server-sent events.
type sseReader struct {
	resp *http.Response
	sc   *bufio.Scanner
}

// event is one server-sent event, or a comment (Comment set).
type event struct {
	ID, Name, Data, Comment string
}

// next returns the next event or comment; ok is false at the end of the stream.
func (s *sseReader) next() (event, bool) {
	var ev event
	for s.sc.Scan() {
		line := s.sc.Text()
		switch {
		case line == "":
			if ev != (event{}) {
				return ev, true
			}
		case strings.HasPrefix(line, ":"):
			return event{Comment: strings.TrimSpace(line[1:])}, true
		case strings.HasPrefix(line, "id: "):
			ev.ID = line[len("id: "):]
		case strings.HasPrefix(line, "event: "):
			ev.Name = line[len("event: "):]
		case strings.HasPrefix(line, "data: "):
			ev.Data = line[len("data: "):]
		}
	}
	return ev, false
}

// fakeSink records what the server hands the AuditSink.
type fakeSink struct {
	mu      sync.Mutex
	entries []AuditEntry
}

func (s *fakeSink) Record(e AuditEntry) { s.mu.Lock(); s.entries = append(s.entries, e); s.mu.Unlock() }
func (s *fakeSink) all() []AuditEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]AuditEntry(nil), s.entries...)
}

var _ AuditSink = (*fakeSink)(nil)
