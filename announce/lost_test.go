package announce

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/testutil"
)

// fakeRegistry is a device registry that knows only availability.
type fakeRegistry struct {
	mu    sync.Mutex
	avail map[string]devices.Availability
}

func (f *fakeRegistry) Get(id string) (devices.Status, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.avail[id]
	return devices.Status{Device: loa(id), Availability: a}, ok
}

func (f *fakeRegistry) SubscribeFunc(int, func(devices.Change) bool) (<-chan devices.Change, func()) {
	return nil, func() {}
}

// loa is the native speaker id (topic id too).
func loa(id string) devices.Device {
	return devices.Device{ID: id, Zone: "ngo-a", Kind: devices.Speaker, Protocol: devices.Native, Topic: id}
}

// lostRig is a service with one native speaker loa-1 and a fake registry.
type lostRig struct {
	t    *testing.T
	c    *testutil.Clock
	s    *Service
	send *fakeSender
	reg  *fakeRegistry
}

func newLostRig(t *testing.T) *lostRig {
	dir := t.TempDir()
	c := testutil.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, hanoi))
	send := &fakeSender{}
	s := newTestService(t, openDB(t, dir), dir, c, nil, send)
	reg := &fakeRegistry{avail: map[string]devices.Availability{"loa-1": devices.Online}}
	s.opts.Devices = reg
	fakeMedia(t, s, "m1", 10)
	return &lostRig{t: t, c: c, s: s, send: send, reg: reg}
}

// announce sends an announcement of priority to loa-1.
func (r *lostRig) announce(priority string) string {
	r.t.Helper()
	a, err := r.s.Announce(context.Background(), Request{Title: "t", MediaID: "m1", Priority: priority,
		Targets: devices.Target{All: true}, Devices: []devices.Device{loa("loa-1")}}, operator)
	if err != nil {
		r.t.Fatal(err)
	}
	r.s.drain()
	return a.ID
}

// set changes loa-1's availability as the registry reports it.
func (r *lostRig) set(a devices.Availability) {
	r.reg.mu.Lock()
	r.reg.avail["loa-1"] = a
	r.reg.mu.Unlock()
	st, _ := r.reg.Get("loa-1")
	r.s.availability(st)
	r.s.drain()
}

// wait lets d pass with a Tick every second.
func (r *lostRig) wait(d time.Duration) {
	for end := r.c.Now().Add(d); r.c.Now().Before(end); {
		r.c.Add(time.Second)
		r.s.Tick(context.Background())
		r.s.drain()
	}
}

func (r *lostRig) report(rep devices.Report) {
	r.s.Observe(loa("loa-1"), rep)
	r.s.drain()
}

// delivery returns loa-1's delivery of id.
func (r *lostRig) delivery(id string) Delivery { return statusOf(get(r.t, r.s, id), "loa-1") }

// wantPlays checks how many play commands of id were published.
func (r *lostRig) wantPlays(id string, n int) {
	r.t.Helper()
	if got := r.send.plays()[id]; got != n {
		r.t.Fatalf("%d play commands of %s published, want %d", got, id, n)
	}
}

// startPlaying acks the play of id and reports it playing.
func (r *lostRig) startPlaying(id string) {
	r.report(ack(r.send.lastPlay("loa-1").ID, true, ""))
	r.report(playing(id))
	if d := r.delivery(id); d.Status != Playing {
		r.t.Fatalf("not playing: %+v", d)
	}
}

// goOffline drops loa-1 and checks the delivery stays in flight with note,
// however long it stays away (short of the expiry), without a play sent again.
func (r *lostRig) goOffline(id, status, note string) {
	r.t.Helper()
	r.set(devices.Offline)
	r.wait(2 * time.Minute)
	if d := r.delivery(id); d.Status != status || d.Error != note {
		r.t.Fatalf("offline after accepting: %+v, want %s with %q", d, status, note)
	}
	r.wantPlays(id, 1)
}

// TestLostDuringPlayBackIdle: a speaker that drops during the play and comes
// back idle is done, with the reason, and the play is never sent again.
func TestLostDuringPlayBackIdle(t *testing.T) {
	for _, prio := range []string{"normal", "emergency"} {
		t.Run(prio, func(t *testing.T) {
			r := newLostRig(t)
			id := r.announce(prio)
			r.startPlaying(id)
			r.goOffline(id, Playing, noteLostPlaying)
			r.set(devices.Online)
			r.report(playing(""))
			if d := r.delivery(id); d.Status != Done || d.Error != reasonLostEnd || d.Plays != 1 {
				t.Fatalf("back idle: %+v, want done: %s", d, reasonLostEnd)
			}
			r.wait(time.Minute)
			r.wantPlays(id, 1)
			if got := get(t, r.s, id); got.Status != Done {
				t.Errorf("announcement %s, want done", got.Status)
			}
		})
	}
}

// TestLostDuringPlayBackPlaying: back still playing it, the delivery waits
// for played and ends done without a reason.
func TestLostDuringPlayBackPlaying(t *testing.T) {
	r := newLostRig(t)
	id := r.announce("")
	r.startPlaying(id)
	r.goOffline(id, Playing, noteLostPlaying)
	r.set(devices.Online)
	r.report(playing(id))
	if d := r.delivery(id); d.Status != Playing || d.Error != "" {
		t.Fatalf("back playing: %+v, want playing without a note", d)
	}
	r.wait(5 * time.Second)
	r.report(event("played", id))
	if d := r.delivery(id); d.Status != Done || d.Error != "" || d.Plays != 1 {
		t.Fatalf("after played: %+v, want done", d)
	}
	r.wantPlays(id, 1)
}

// TestLostReportBeforeOnline: the speaker's idle state can reach announce
// before its availability does; it settles the delivery the same way.
func TestLostReportBeforeOnline(t *testing.T) {
	r := newLostRig(t)
	id := r.announce("")
	r.startPlaying(id)
	r.goOffline(id, Playing, noteLostPlaying)
	r.report(playing(""))
	r.set(devices.Online)
	r.wait(time.Minute)
	if d := r.delivery(id); d.Status != Done || d.Error != reasonLostEnd {
		t.Fatalf("%+v, want done: %s", d, reasonLostEnd)
	}
	r.wantPlays(id, 1)
}

// TestLostAfterAck: acked but never reported playing, then offline: not sent
// again; back idle, it fails with the reason.
func TestLostAfterAck(t *testing.T) {
	r := newLostRig(t)
	id := r.announce("")
	r.report(ack(r.send.lastPlay("loa-1").ID, true, ""))
	r.goOffline(id, Sent, noteLostAccepted)
	r.set(devices.Online)
	r.wait(2 * time.Second)
	r.report(playing(""))
	if d := r.delivery(id); d.Status != Failed || d.Error != reasonLostAccepted {
		t.Fatalf("back idle: %+v, want failed: %s", d, reasonLostAccepted)
	}
	r.wait(time.Minute)
	r.wantPlays(id, 1)
}

// TestLostBackSilent: back online but no report within the play's length
// and the answer timeout: settled as if idle (it had reported playing: done).
func TestLostBackSilent(t *testing.T) {
	r := newLostRig(t)
	id := r.announce("")
	r.startPlaying(id)
	r.goOffline(id, Playing, noteLostPlaying)
	r.set(devices.Online)
	r.wait(10 * time.Second)
	if d := r.delivery(id); d.Status != Playing {
		t.Fatalf("settled before its deadline: %+v", d)
	}
	r.wait(10 * time.Second)
	if d := r.delivery(id); d.Status != Done || d.Error != reasonLostEnd {
		t.Fatalf("%+v, want done: %s", d, reasonLostEnd)
	}
	r.wantPlays(id, 1)
}

// TestLostUntilExpiry: a speaker that never comes back fails the delivery
// when the announcement expires, without a second play.
func TestLostUntilExpiry(t *testing.T) {
	r := newLostRig(t)
	id := r.announce("")
	r.startPlaying(id)
	r.set(devices.Offline)
	r.c.Add(r.s.opts.ValidFor + time.Second)
	r.s.Tick(context.Background())
	if d := r.delivery(id); d.Status != Failed || d.Error != reasonOfflineExpired {
		t.Fatalf("%+v, want failed: %s", d, reasonOfflineExpired)
	}
	r.set(devices.Online)
	r.wait(time.Minute)
	r.wantPlays(id, 1)
}

// TestOfflineBeforeAckResent: a play not yet accepted when the speaker
// dropped waits offline and is sent again once it is back (as before).
func TestOfflineBeforeAckResent(t *testing.T) {
	r := newLostRig(t)
	id := r.announce("")
	r.set(devices.Offline)
	r.wait(time.Minute)
	if d := r.delivery(id); d.Status != Offline {
		t.Fatalf("offline before the ack: %+v, want offline", d)
	}
	r.wantPlays(id, 1)
	r.set(devices.Online)
	r.wantPlays(id, 2)
	r.startPlaying(id)
	r.report(event("played", id))
	if d := r.delivery(id); d.Status != Done || d.Attempts != 2 {
		t.Fatalf("%+v, want done after 2 attempts", d)
	}
}

// TestLostPreemptedByEmergency: an emergency due when a speaker comes back
// with a lost normal play stops it, which ends done (it had played) and is
// not played again after the emergency.
func TestLostPreemptedByEmergency(t *testing.T) {
	r := newLostRig(t)
	id := r.announce("")
	r.startPlaying(id)
	r.goOffline(id, Playing, noteLostPlaying)
	em := r.announce("emergency")
	r.set(devices.Online)
	if d := r.delivery(id); d.Status != Done || d.Error != reasonLostPreempted {
		t.Fatalf("lost play on an emergency: %+v, want done: %s", d, reasonLostPreempted)
	}
	if r.send.stops("loa-1") != 1 {
		t.Errorf("%d stops, want 1", r.send.stops("loa-1"))
	}
	r.startPlaying(em)
	r.report(event("played", em))
	r.wait(time.Minute)
	r.wantPlays(id, 1)
	r.wantPlays(em, 1)
	if d := r.delivery(em); d.Status != Done {
		t.Errorf("emergency: %+v", d)
	}
}

// TestLostRepeat: a lost play of a repeated announcement counts as played
// when the speaker comes back idle; the next repeat is sent, once.
func TestLostRepeat(t *testing.T) {
	r := newLostRig(t)
	a, err := r.s.Announce(context.Background(), Request{Title: "t", MediaID: "m1", Repeat: 2,
		Targets: devices.Target{All: true}, Devices: []devices.Device{loa("loa-1")}}, operator)
	if err != nil {
		t.Fatal(err)
	}
	r.s.drain()
	r.startPlaying(a.ID)
	r.goOffline(a.ID, Playing, noteLostPlaying)
	r.set(devices.Online)
	r.report(playing(""))
	r.wantPlays(a.ID, 2)
	r.startPlaying(a.ID)
	r.report(event("played", a.ID))
	if d := r.delivery(a.ID); d.Status != Done || d.Plays != 2 {
		t.Fatalf("%+v, want done after 2 plays", d)
	}
}
