package web

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/testutil"
)

// openEvents opens GET /api/v1/events as a; the stream ends with ctx.
func (f *fixture) openEvents(ctx context.Context, a auth) *sseReader {
	f.t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", f.ts.URL+"/api/v1/events", nil)
	a(req)
	resp, err := f.ts.Client().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		f.t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	f.t.Cleanup(func() { resp.Body.Close() })
	return &sseReader{resp: resp, sc: bufio.NewScanner(resp.Body)}
}

// adminStream opens GET /api/v1/events as the admin, for at most 10 s.
func (f *fixture) adminStream() *sseReader {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	f.t.Cleanup(cancel)
	return f.openEvents(ctx, f.as(admin))
}

// nextEvent returns the next named event, skipping comments.
func (s *sseReader) nextEvent(t *testing.T) event {
	t.Helper()
	for {
		ev, ok := s.next()
		if !ok {
			t.Fatal("event stream ended")
		}
		if ev.Name != "" {
			return ev
		}
	}
}

func on(b bool) *bool { return &b }
func pct(n int) *int  { return &n }

func TestEventsFilteredByZone(t *testing.T) {
	f := newFixture(t, withHooks)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stream := f.openEvents(ctx, f.as(opA))
	// A change in zone B first, then one in zone A: operator A sees only the second.
	f.reg.SetDesired("den-b1", devices.State{Light: &devices.LightState{On: on(true)}})
	f.reg.SetDesired("den-a1", devices.State{Light: &devices.LightState{On: on(true), Brightness: pct(40)}})
	ev := stream.nextEvent(t)
	var raw map[string]any
	if err := json.Unmarshal([]byte(ev.Data), &raw); ev.Name != "state" || err != nil || raw["id"] != "den-a1" {
		t.Fatalf("first event = %+v, want state of den-a1", ev)
	}
	if des := raw["desired"].(map[string]any); des["on"] != true || des["brightness"] != 40.0 {
		t.Errorf("desired = %v, want normalised light state", raw["desired"])
	}
	// Availability and command results too, zone-filtered.
	f.reg.Observe(devices.AddressOf(testDevices()[3]), devices.Report{Availability: devices.Online}, false, f.clock.Now())
	f.reg.Observe(devices.AddressOf(testDevices()[0]), devices.Report{Availability: devices.Online}, false, f.clock.Now())
	if ev := stream.nextEvent(t); ev.Name != "availability" || !strings.Contains(ev.Data, `"id":"den-a1"`) || !strings.Contains(ev.Data, `"online"`) {
		t.Fatalf("availability event = %+v", ev)
	}
	f.srv.PublishCommand(CommandEvent{ID: "c1", Device: "den-b1", Zone: zoneB, Status: "confirmed"})
	f.call(f.as(admin), "POST", "/api/v1/commands", `{"target":{"devices":["den-a2"]},"set":{"on":false}}`)
	if ev := stream.nextEvent(t); ev.Name != "command" || !strings.Contains(ev.Data, `"device":"den-a2"`) {
		t.Fatalf("command event = %+v", ev)
	}
}

// A burst of changes faster than the stream ("all lights on" for a thousand
// lamps) skips a device's intermediate states but always ends with its
// newest, and drops nothing.
func TestEventsKeepUpWithABurst(t *testing.T) {
	f := newFixture(t, nil)
	stream := f.adminStream()
	for i := range 3000 {
		f.reg.SetDesired("den-a1", devices.State{Light: &devices.LightState{On: on(true), Brightness: pct(i % 100)}})
		f.reg.SetDesired("den-b1", devices.State{Light: &devices.LightState{On: on(i%2 == 0)}})
	}
	f.reg.SetDesired("den-a1", devices.State{Light: &devices.LightState{On: on(false), Brightness: pct(7)}})
	last := map[string]string{}
	events := 0
	for last["den-a1"] != `{"on":false,"brightness":7}` || last["den-b1"] != `{"on":false}` {
		ev := stream.nextEvent(t)
		events++
		var v struct {
			ID      string          `json:"id"`
			Desired json.RawMessage `json:"desired"`
		}
		if err := json.Unmarshal([]byte(ev.Data), &v); ev.Name != "state" || err != nil {
			t.Fatalf("event %+v", ev)
		}
		last[v.ID] = string(v.Desired)
	}
	if f.reg.Dropped() != 0 {
		t.Errorf("%d changes dropped", f.reg.Dropped())
	}
	t.Logf("6001 changes reached the stream as %d events", events)
}

// A command to a thousand lamps gives a thousand results at once; an open
// stream gets every one.
func TestEventsCarryEveryResultOfABigCommand(t *testing.T) {
	f := newFixture(t, nil)
	stream := f.adminStream()
	for i := range 1000 {
		f.srv.PublishCommand(CommandEvent{ID: "c1", Device: "den-a1", Zone: zoneA, Status: "confirmed", Error: strconv.Itoa(i)})
	}
	for i := range 1000 {
		ev := stream.nextEvent(t)
		if ev.Name != "command" || !strings.Contains(ev.Data, `"error":"`+strconv.Itoa(i)+`"`) {
			t.Fatalf("event %d: %+v", i, ev)
		}
	}
}

// A result already sent as it was decided is not sent again with the
// response; the others are.
func TestEventsSendEachResultOnce(t *testing.T) {
	f := newFixture(t, func(o *Options) {
		o.Commander = &fakeCommander{fn: func(ctx context.Context, req CommandRequest, u User) (CommandResult, error) {
			return CommandResult{ID: "cmd-8", Results: []DeviceResult{
				{Device: "den-a1", Status: "confirmed", Sent: true}, {Device: "den-a2", Status: "offline"}}}, nil
		}}
	})
	stream := f.adminStream()
	f.call(f.as(admin), "POST", "/api/v1/commands", `{"target":{"devices":["den-a1","den-a2"]},"set":{"on":true}}`)
	f.srv.PublishCommand(CommandEvent{ID: "end", Device: "den-a1", Zone: zoneA, Status: "confirmed"})
	var got []string
	for {
		ev := stream.nextEvent(t)
		if ev.Name != "command" {
			continue
		}
		if strings.Contains(ev.Data, `"id":"end"`) {
			break
		}
		got = append(got, ev.Data)
	}
	if len(got) != 1 || !strings.Contains(got[0], `"device":"den-a2"`) {
		t.Fatalf("command events %v, want den-a2's alone", got)
	}
}

// An event JSON cannot hold is skipped and counted; the stream goes on
// with the next, its ids without a gap.
func TestEventsSkipWhatCannotBeEncoded(t *testing.T) {
	f := newFixture(t, nil)
	stream := f.adminStream()
	f.srv.PublishCommand(CommandEvent{ID: "bad", Device: "den-a1", Zone: zoneA, Status: "confirmed",
		At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}) // time.Time's JSON refuses year 10000
	time.Sleep(2 * resultBatch) // its own batch
	f.srv.PublishCommand(CommandEvent{ID: "good", Device: "den-a1", Zone: zoneA, Status: "confirmed"})
	ev := stream.nextEvent(t)
	if ev.Name != "command" || !strings.Contains(ev.Data, `"id":"good"`) || ev.ID != "1" {
		t.Fatalf("event = %+v, want the good command result as id 1", ev)
	}
	body := readAll(f.do(nil, "GET", "/metrics", ""))
	if want := `hamlet_http_events_unencodable_total{event="command"} 1`; !strings.Contains(body, want) {
		t.Errorf("metrics lack %s", want)
	}
}

func TestEventsEndOnClientDisconnect(t *testing.T) {
	f := newFixture(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	f.openEvents(ctx, f.as(viewer))
	if len(f.srv.streams) != 1 {
		t.Fatalf("open streams = %d", len(f.srv.streams))
	}
	cancel()
	testutil.Eventually(t, 5*time.Second, "the stream handler to end", func() bool { return len(f.srv.streams) == 0 })
}

func TestEventsEndOnShutdownAndHeartbeat(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.Heartbeat = 10 * time.Millisecond })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stream := f.openEvents(ctx, f.as(viewer))
	for {
		ev, ok := stream.next()
		if !ok {
			t.Fatal("stream ended before a heartbeat")
		}
		if ev.Comment == "ping" {
			break
		}
	}
	if err := f.srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	for {
		if _, ok := stream.next(); !ok {
			break // the server ended the stream
		}
	}
	if ctx.Err() != nil {
		t.Fatal("stream did not end before the test deadline")
	}
}

func TestEventsEndWhenSessionEnds(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.Heartbeat = 10 * time.Millisecond })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cookie := f.login("vi", testPassword)
	stream := f.openEvents(ctx, withCookie(cookie))
	f.call(withCookie(cookie), "POST", "/api/v1/logout", "")
	ev := stream.nextEvent(t)
	if ev.Name != "end" || !strings.Contains(ev.Data, codeExpired) {
		t.Fatalf("event = %+v, want end", ev)
	}
	if _, ok := stream.next(); ok {
		t.Fatal("stream goes on after its session ended")
	}
}

func TestEventStreamLimit(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.MaxStreams = 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	f.openEvents(ctx, f.as(viewer))
	if code, body := f.call(f.as(viewer), "GET", "/api/v1/events", ""); code != 503 || body["code"] != codeBusy {
		t.Fatalf("second stream: %d %v", code, body)
	}
}

// TestServeListenAndStreamOutlivesReadTimeout runs the real listener: the
// server's ReadTimeout must not cut an event stream.
func TestServeListenAndStreamOutlivesReadTimeout(t *testing.T) {
	f := newFixture(t, nil)
	s := New(Options{Addr: "127.0.0.1:0", Store: f.db, Devices: f.reg, Now: f.clock.Now, Password: cheap, Heartbeat: 20 * time.Millisecond})
	s.srv.ReadTimeout = 100 * time.Millisecond
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve() }()
	base := "http://" + s.Addr()
	resp, err := http.Post(base+"/api/v1/login", "application/json", strings.NewReader(`{"username":"vi","password":"`+testPassword+`"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %v", resp, err)
	}
	cookie := resp.Cookies()[0]
	resp.Body.Close()
	req, _ := http.NewRequest("GET", base+"/api/v1/events", nil)
	req.AddCookie(cookie)
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("events: %v %v", resp, err)
	}
	stream := &sseReader{resp: resp, sc: bufio.NewScanner(resp.Body)}
	start := time.Now()
	for time.Since(start) < 300*time.Millisecond { // three read timeouts
		if _, ok := stream.next(); !ok {
			t.Fatalf("stream ended after %v", time.Since(start))
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	resp.Body.Close()
}
