package announce

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// lostSender takes every command and reports it failed, as the broker link
// does when the connection breaks before the broker acknowledged a publish:
// the command stays in the MQTT session and may still reach the speaker.
type lostSender struct{ fakeSender }

func (f *lostSender) Send(ctx context.Context, c devices.Command) error {
	_ = f.fakeSender.Send(ctx, c)
	return errors.New("connection lost before Publish completed")
}

// TestLatePublishNotPlayedTwice: a play whose publish failed reaches the
// speaker anyway once the broker is back; its reports complete the delivery
// and the play is not sent again after publishRetry.
func TestLatePublishNotPlayedTwice(t *testing.T) {
	send := &lostSender{}
	s, c, a := announced(t, send, 0)
	s.drain()
	if d := statusOf(get(t, s, a.ID), "loa-1"); d.Status != Offline || d.Attempts != 1 {
		t.Fatalf("publish failed: %+v", d)
	}
	d := devices.Device{ID: "loa-1", Kind: devices.Speaker, Protocol: devices.Native}
	c.Add(2 * time.Second)
	s.Observe(d, ack(send.lastPlay("loa-1").ID, true, ""))
	s.Observe(d, playing(a.ID))
	if d := statusOf(get(t, s, a.ID), "loa-1"); d.Status != Playing {
		t.Fatalf("the speaker plays it: %+v", d)
	}
	c.Add(publishRetry)
	s.Tick(context.Background())
	s.drain()
	c.Add(5 * time.Second)
	s.Observe(d, event("played", a.ID))
	s.Tick(context.Background())
	s.drain()
	if got := get(t, s, a.ID); got.Status != Done || statusOf(got, "loa-1").Plays != 1 {
		t.Fatalf("after the played event: %s %+v", got.Status, statusOf(got, "loa-1"))
	}
	if n := send.plays()[a.ID]; n != 1 {
		t.Fatalf("%d play commands, want 1: the late publish played it", n)
	}
}

// TestNoAdoptionWithoutASend: a speaker reporting an announcement never sent
// to it does not change the delivery.
func TestNoAdoptionWithoutASend(t *testing.T) {
	send := &fakeSender{}
	s, _, a := announced(t, send, time.Hour)
	s.Observe(devices.Device{ID: "loa-1", Kind: devices.Speaker, Protocol: devices.Native}, playing(a.ID))
	if d := statusOf(get(t, s, a.ID), "loa-1"); d.Status != Pending || d.Attempts != 0 {
		t.Fatalf("adopted without a send: %+v", d)
	}
}

// TestReconnectedSendsHeldPlays: a play held back after a failed publish
// goes out as soon as the link is back, not publishRetry later.
func TestReconnectedSendsHeldPlays(t *testing.T) {
	send := &flakySender{down: true}
	s, c, a := announced(t, send, 0)
	s.drain()
	send.down = false
	c.Add(time.Second)
	s.Reconnected()
	s.drain()
	if d := statusOf(get(t, s, a.ID), "loa-1"); d.Status != Sent || d.Attempts != 2 {
		t.Fatalf("after Reconnected: %+v, want sent on the second attempt", d)
	}
}
