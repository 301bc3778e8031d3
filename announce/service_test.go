package announce

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/testutil"
)

func ack(id string, ok bool, msg string) devices.Report {
	return devices.Report{Ack: &devices.Ack{ID: id, OK: ok, Error: msg}}
}

func playing(ref string) devices.Report {
	return devices.Report{Speaker: &devices.SpeakerState{Playing: &ref}}
}

func event(typ, ref string) devices.Report {
	return devices.Report{Events: []devices.Event{{Type: typ, Ref: ref}}}
}

// lastPlay returns the last play command to device.
func (f *fakeSender) lastPlay(device string) devices.Command {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.cmds) - 1; i >= 0; i-- {
		if c := f.cmds[i]; c.Play != nil && c.Device.ID == device {
			return c
		}
	}
	return devices.Command{}
}

func (f *fakeSender) stops(device string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.cmds {
		if c.Stop && c.Device.ID == device {
			n++
		}
	}
	return n
}

func get(t *testing.T, s *Service, id string) Announcement {
	t.Helper()
	a, err := s.Announcement(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func statusOf(a Announcement, device string) Delivery {
	for _, d := range a.Deliveries {
		if d.Device == device {
			return d
		}
	}
	return Delivery{}
}

// TestQueueAndPreemption: one at a time per speaker, priority before queued
// normal, emergency stops a normal one mid-play, which is re-queued and
// plays again from the start afterwards; repeat plays twice.
func TestQueueAndPreemption(t *testing.T) {
	dir := t.TempDir()
	c := testutil.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, hanoi))
	send := &fakeSender{}
	s := newTestService(t, openDB(t, dir), dir, c, nil, send)
	fakeMedia(t, s, "m1", 10)
	sp := speakers("loa-1", "ngo-a")
	mk := func(title, prio string, repeat int) Announcement {
		a, err := s.Announce(context.Background(), Request{Title: title, MediaID: "m1", Targets: devices.Target{Devices: []string{"loa-1"}},
			Priority: prio, Repeat: repeat, Devices: sp}, operator)
		if err != nil {
			t.Fatal(err)
		}
		s.drain()
		return a
	}
	n1 := mk("n1", "", 2)
	n2 := mk("n2", "", 1)
	p1 := mk("p1", "priority", 1)
	if got := send.lastPlay("loa-1").Play.Announcement; got != n1.ID {
		t.Fatalf("first play is %s, want n1", got)
	}
	if !strings.HasPrefix(send.lastPlay("loa-1").Play.URL, "http://hamlet.test:8080/media/") {
		t.Errorf("url %s", send.lastPlay("loa-1").Play.URL)
	}
	d := devices.Device{ID: "loa-1", Kind: devices.Speaker, Protocol: devices.Native}
	s.Observe(d, ack(send.lastPlay("loa-1").ID, true, ""))
	s.Observe(d, playing(n1.ID))
	if st := statusOf(get(t, s, n1.ID), "loa-1"); st.Status != Playing || st.PlayingAt.IsZero() {
		t.Fatalf("n1 = %+v, want playing", st)
	}
	e := mk("storm", "emergency", 1)
	if send.stops("loa-1") != 1 || send.lastPlay("loa-1").Play.Announcement != e.ID {
		t.Fatalf("emergency did not stop n1 and play at once: stops %d, last %s", send.stops("loa-1"), send.lastPlay("loa-1").Play.Announcement)
	}
	if st := statusOf(get(t, s, n1.ID), "loa-1"); st.Status != Pending {
		t.Fatalf("preempted n1 = %+v, want pending (re-queued)", st)
	}
	// A late idle state of the stopped play changes nothing.
	s.Observe(d, playing(""))
	s.Observe(d, playing(e.ID))
	s.Observe(d, event("played", e.ID))
	s.drain()
	if get(t, s, e.ID).Status != Done {
		t.Fatalf("emergency status %s", get(t, s, e.ID).Status)
	}
	// n1 was created first, so it goes back before n2; p1 goes before both.
	order := []string{p1.ID, n1.ID, n1.ID, n2.ID}
	for i, id := range order {
		cmd := send.lastPlay("loa-1")
		if cmd.Play.Announcement != id {
			t.Fatalf("play %d is %s, want %s", i, cmd.Play.Announcement, id)
		}
		s.Observe(d, ack(cmd.ID, true, ""))
		s.Observe(d, playing(id))
		s.Observe(d, event("played", id))
		s.drain()
	}
	for _, a := range []Announcement{n1, n2, p1} {
		if got := get(t, s, a.ID); got.Status != Done {
			t.Errorf("%s: status %s, want done", a.Title, got.Status)
		}
	}
	if dl := statusOf(get(t, s, n1.ID), "loa-1"); dl.Plays != 2 || dl.Attempts != 3 {
		t.Errorf("n1 plays %d attempts %d, want 2 plays (repeat) over 3 attempts (one preempted)", dl.Plays, dl.Attempts)
	}
}

// TestReceiptsFailures: a refusal fails with its reason, a silent speaker
// fails after the answer timeout, an offline one is retried until expiry.
func TestReceiptsFailures(t *testing.T) {
	dir := t.TempDir()
	c := testutil.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, hanoi))
	send := &fakeSender{}
	s := newTestService(t, openDB(t, dir), dir, c, nil, send)
	fakeMedia(t, s, "m1", 10)
	sp := speakers("loa-1", "ngo-a", "loa-2", "ngo-a", "loa-3", "ngo-b")
	a, err := s.Announce(context.Background(), Request{Title: "t", MediaID: "m1", Targets: devices.Target{All: true}, Devices: sp}, operator)
	if err != nil {
		t.Fatal(err)
	}
	s.drain()
	s.Observe(devices.Device{ID: "loa-1", Kind: devices.Speaker}, ack(send.lastPlay("loa-1").ID, false, "busy"))
	for range MaxAttempts {
		c.Add(6 * time.Second)
		s.Tick(context.Background())
		s.drain()
	}
	got := get(t, s, a.ID)
	if d := statusOf(got, "loa-2"); d.Attempts != MaxAttempts {
		t.Errorf("loa-2 attempts %d, want %d", d.Attempts, MaxAttempts)
	}
	if d := statusOf(got, "loa-1"); d.Status != Failed || !strings.Contains(d.Error, "busy") {
		t.Errorf("loa-1 = %+v, want failed: busy", d)
	}
	if d := statusOf(got, "loa-2"); d.Status != Failed || !strings.Contains(d.Error, "no answer") {
		t.Errorf("loa-2 = %+v, want failed: no answer", d)
	}
	if got.Status != Failed {
		t.Errorf("status %s, want failed", got.Status)
	}
	if _, err := s.Announcement(context.Background(), "ann-nope"); !errors.Is(err, devices.ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
}

func TestWindows(t *testing.T) {
	dir := t.TempDir()
	c := testutil.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, hanoi))
	send := &fakeSender{}
	s := newTestService(t, openDB(t, dir), dir, c, map[string][]string{"ngo-a": {"05:30-06:30", "17:00-18:00"}}, send)
	fakeMedia(t, s, "m1", 10)
	sp := speakers("loa-1", "ngo-a")
	req := Request{Title: "t", MediaID: "m1", Targets: devices.Target{Zones: []string{"ngo-a"}}, Devices: sp}
	_, err := s.Announce(context.Background(), req, operator)
	var we *WindowError
	if !errors.As(err, &we) || !errors.Is(err, devices.ErrConflict) || !we.NextWindow.Equal(time.Date(2026, 11, 2, 17, 0, 0, 0, hanoi)) {
		t.Fatalf("outside the window: %v, want a WindowError for 17:00", err)
	}
	em := req
	em.Priority = "emergency"
	if _, err := s.Announce(context.Background(), em, operator); err != nil {
		t.Fatalf("emergency refused: %v", err)
	}
	sched := req
	sched.At = "2026-11-02T10:00:00+07:00"
	a, err := s.Announce(context.Background(), sched, operator)
	if err != nil {
		t.Fatal(err)
	}
	if !a.At.Equal(time.Date(2026, 11, 2, 17, 0, 0, 0, hanoi)) || a.Status != Scheduled {
		t.Fatalf("scheduled at 10:00 outside the window: at %v status %s, want deferred to 17:00, scheduled", a.At, a.Status)
	}
	c.Set(time.Date(2026, 11, 2, 10, 0, 0, 0, hanoi))
	s.Tick(context.Background())
	s.drain()
	if send.plays()[a.ID] != 0 {
		t.Fatal("deferred announcement played before its window")
	}
	c.Set(time.Date(2026, 11, 2, 17, 0, 1, 0, hanoi))
	s.Observe(devices.Device{ID: "loa-1", Kind: devices.Speaker}, event("played", send.lastPlay("loa-1").Play.Announcement))
	s.Tick(context.Background())
	s.drain()
	if send.plays()[a.ID] != 1 {
		t.Fatalf("deferred announcement plays %d at 17:00, want 1", send.plays()[a.ID])
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	c := testutil.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, hanoi))
	s := newTestService(t, openDB(t, dir), dir, c, nil, &fakeSender{})
	fakeMedia(t, s, "m1", 10)
	sp := speakers("loa-1", "ngo-a")
	base := Request{Title: "t", MediaID: "m1", Targets: devices.Target{All: true}, Devices: sp}
	for field, mod := range map[string]func(r *Request){
		"text":     func(r *Request) { r.MediaID, r.Text = "", strings.Repeat("a", 10000) },
		"cron":     func(r *Request) { r.Cron = "61 * * * *" },
		"at":       func(r *Request) { r.At = "2026-11-01T09:00:00+07:00" },
		"media_id": func(r *Request) { r.MediaID = "m-nope" },
		"targets":  func(r *Request) { r.Devices = nil },
		"priority": func(r *Request) { r.Priority = "urgent" },
		"title":    func(r *Request) { r.Title = " " },
	} {
		r := base
		mod(&r)
		_, err := s.Announce(context.Background(), r, operator)
		var fe *devices.FieldError
		if !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("%s: error %v, want a FieldError naming %s", field, err, field)
		}
	}
}

// TestScheduledEmergencyPreempts: an emergency with an "at" stops a normal
// play when its time comes.
func TestScheduledEmergencyPreempts(t *testing.T) {
	dir := t.TempDir()
	c := testutil.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, hanoi))
	send := &fakeSender{}
	s := newTestService(t, openDB(t, dir), dir, c, nil, send)
	fakeMedia(t, s, "m1", 600)
	sp := speakers("loa-1", "ngo-a")
	n, err := s.Announce(context.Background(), Request{Title: "n", MediaID: "m1", Targets: devices.Target{All: true}, Devices: sp}, operator)
	if err != nil {
		t.Fatal(err)
	}
	s.drain()
	s.Observe(sp[0], playing(n.ID))
	e, err := s.Announce(context.Background(), Request{Title: "e", MediaID: "m1", Priority: "emergency", At: "2026-11-02T09:05:00+07:00",
		Targets: devices.Target{All: true}, Devices: sp}, operator)
	if err != nil {
		t.Fatal(err)
	}
	s.drain()
	if send.stops("loa-1") != 0 || send.plays()[e.ID] != 0 {
		t.Fatal("the emergency played before its time")
	}
	c.Set(time.Date(2026, 11, 2, 9, 5, 0, 0, hanoi))
	s.Tick(context.Background())
	s.drain()
	if send.stops("loa-1") != 1 || send.lastPlay("loa-1").Play.Announcement != e.ID {
		t.Fatalf("at its time: stops %d, last play %s; want a stop and the emergency", send.stops("loa-1"), send.lastPlay("loa-1").Play.Announcement)
	}
}

// flakySender fails while down is true.
type flakySender struct {
	fakeSender
	down bool
}

func (f *flakySender) Send(ctx context.Context, c devices.Command) error {
	if f.down {
		return errors.New("not connected")
	}
	return f.fakeSender.Send(ctx, c)
}

// TestBrokerDown: a play that cannot be published leaves the delivery
// offline, and it is sent again once the link is back, every publishRetry at most.
func TestBrokerDown(t *testing.T) {
	send := &flakySender{down: true}
	s, c, a := announced(t, send, 0)
	s.drain()
	if d := statusOf(get(t, s, a.ID), "loa-1"); d.Status != Offline || !strings.Contains(d.Error, "not connected") {
		t.Fatalf("link down: %+v", d)
	}
	c.Add(time.Second)
	s.Tick(context.Background())
	s.drain()
	if d := statusOf(get(t, s, a.ID), "loa-1"); d.Attempts != 1 {
		t.Fatalf("retried before publishRetry: %+v", d)
	}
	send.down = false
	c.Add(publishRetry)
	s.Tick(context.Background())
	s.drain()
	if d := statusOf(get(t, s, a.ID), "loa-1"); d.Status != Sent || d.Attempts != 2 {
		t.Fatalf("link back: %+v, want sent on the second attempt", d)
	}
}

// TestWindowStatus: a zone's window is reported open or with its next
// opening; a zone without windows is always open.
func TestWindowStatus(t *testing.T) {
	dir := t.TempDir()
	c := testutil.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, hanoi))
	s := newTestService(t, openDB(t, dir), dir, c, map[string][]string{"ngo-a": {"05:30-06:30", "17:00-18:00"}}, &fakeSender{})
	w := s.Window("ngo-a", c.Now())
	if w.Open || w.NextOpen == nil || !w.NextOpen.Equal(time.Date(2026, 11, 2, 17, 0, 0, 0, hanoi)) ||
		len(w.Windows) != 2 || w.Windows[1] != "17:00-18:00" {
		t.Fatalf("at 09:00: %+v", w)
	}
	if w := s.Window("ngo-a", time.Date(2026, 11, 2, 17, 30, 0, 0, hanoi)); !w.Open || w.NextOpen != nil {
		t.Fatalf("at 17:30: %+v", w)
	}
	if w := s.Window("ngo-a", time.Date(2026, 11, 2, 19, 0, 0, 0, hanoi)); w.NextOpen == nil ||
		!w.NextOpen.Equal(time.Date(2026, 11, 3, 5, 30, 0, 0, hanoi)) {
		t.Fatalf("at 19:00: %+v", w)
	}
	if w := s.Window("ngo-b", c.Now()); !w.Open || len(w.Windows) != 0 {
		t.Fatalf("no windows: %+v", w)
	}
}
