package announce

import (
	"context"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/testutil"
)

// TestSentBeforeRestartNotSentAgain: a delivery the speaker accepted (acked)
// before the daemon was killed is not sent again by the restarted daemon (it
// may have played): without a report within AnswerTimeout it fails; with one
// it is done. One sent but never acked (the speaker may not have been
// subscribed yet) is sent again at the deadline, as without the restart.
func TestSentBeforeRestartNotSentAgain(t *testing.T) {
	dir := t.TempDir()
	c := testutil.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, hanoi))
	db := openDB(t, dir)
	send := &fakeSender{}
	s1 := newTestService(t, db, dir, c, nil, send)
	fakeMedia(t, s1, "m1", 10)
	a, err := s1.Announce(context.Background(), Request{Title: "t", MediaID: "m1", Targets: devices.Target{All: true},
		Devices: speakers("loa-1", "ngo-a", "loa-2", "ngo-a", "loa-3", "ngo-a")}, operator)
	if err != nil {
		t.Fatal(err)
	}
	s1.drain()
	if n := send.plays()[a.ID]; n != 3 {
		t.Fatalf("%d plays sent, want 3", n)
	}
	for _, id := range []string{"loa-1", "loa-2"} {
		s1.Observe(devices.Device{ID: id, Kind: devices.Speaker, Protocol: devices.Native}, ack(send.lastTo(id), true, ""))
	}
	// Killed; started again.
	c.Add(time.Second)
	s2 := newTestService(t, db, dir, c, nil, send)
	c.Add(time.Second)
	s2.Observe(devices.Device{ID: "loa-2", Kind: devices.Speaker, Protocol: devices.Native}, event("played", a.ID))
	c.Add(s2.opts.AnswerTimeout)
	s2.Tick(context.Background())
	s2.drain()
	if n := send.plays()[a.ID]; n != 4 {
		t.Fatalf("%d plays sent, want 4: loa-3's again (never acked), no other", n)
	}
	loa3 := devices.Device{ID: "loa-3", Kind: devices.Speaker, Protocol: devices.Native}
	s2.Observe(loa3, ack(send.lastTo("loa-3"), true, ""))
	s2.Observe(loa3, event("played", a.ID))
	for range 3 {
		c.Add(s2.opts.AnswerTimeout)
		s2.Tick(context.Background())
		s2.drain()
	}
	if n := send.plays()[a.ID]; n != 4 {
		t.Fatalf("%d plays sent, want still 4: the restarted daemon sent an accepted play again", n)
	}
	got := get(t, s2, a.ID)
	if d := statusOf(got, "loa-1"); d.Status != Failed {
		t.Errorf("loa-1 accepted, without a report: %+v, want failed", d)
	}
	if d := statusOf(got, "loa-2"); d.Status != Done {
		t.Errorf("loa-2 reported played: %+v, want done", d)
	}
	if d := statusOf(got, "loa-3"); d.Status != Done || d.Attempts != 2 {
		t.Errorf("loa-3 sent again, then played: %+v, want done after 2 attempts", d)
	}
}
