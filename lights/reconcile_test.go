package lights

import (
	"context"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/protocols"
	"github.com/hamlet-vn/hamlet/internal/testutil"
)

// TestReconcileWaitsForAnUnheardLight: an ESPHome light whose command topic
// is not known yet (its discovery record has not come) and that has not been
// heard from since the connection is not sent its desired state, nor
// reported as rejected; once it is online the attempt counts as before.
func TestReconcileWaitsForAnUnheardLight(t *testing.T) {
	c := testutil.NewClock(time.Date(2026, 12, 4, 18, 0, 0, 0, hanoi.Loc))
	dev := devices.Device{ID: "esp-den-02", Kind: devices.Light, Zone: "ngo-1", Protocol: devices.ESPHome, Topic: "esp-den-02"}
	reg := devices.NewRegistry([]devices.Device{dev}, nil, c.Now())
	router, err := protocols.New(protocols.Options{Area: "khu10", HASSEnabled: true, Devices: []devices.Device{dev}})
	if err != nil {
		t.Fatal(err)
	}
	l := &lamps{reg: reg, dead: map[string]bool{}, now: c.Now}
	s := New(Options{Area: "khu10", Publisher: l, Encoders: router, Registry: reg, Store: &memStore{}, Now: c.Now})
	s.mu.Lock()
	s.putDesiredLocked(context.Background(), Desired{Light: dev.ID, On: true, By: "schedule", At: c.Now()})
	s.mu.Unlock()
	if s.reconcileOne(context.Background(), dev.ID) {
		t.Fatal("a light not heard from since the connection, that cannot be encoded yet, was counted as sent")
	}
	reg.Observe(devices.Address{Protocol: devices.ESPHome, Key: dev.Topic}, devices.Report{Availability: devices.Online}, false, c.Now())
	if st, _ := reg.Get(dev.ID); st.Availability != devices.Online {
		t.Fatalf("availability %s after an online report", st.Availability)
	}
	if !s.reconcileOne(context.Background(), dev.ID) {
		t.Fatal("an online light that cannot be encoded: the attempt is not counted")
	}
	if sent := l.take(); len(sent) != 0 {
		t.Fatalf("sent %v", sent)
	}
}

// TestReconcileLinkFailureIsNotARejection: when the broker link fails, the
// lamp refused nothing: no rejected result is recorded, the attempt is not
// counted, and the next reconnection sends the state again.
func TestReconcileLinkFailureIsNotARejection(t *testing.T) {
	u := newUnit(t, "den-01")
	var points int
	u.svc.opts.Points = pointCounter{&points}
	u.svc.mu.Lock()
	u.svc.putDesiredLocked(context.Background(), Desired{Light: "den-01", On: true, By: "schedule", At: u.clock.Now()})
	u.svc.mu.Unlock()
	u.lamps.failing = errLinkDown
	if u.svc.reconcileOne(context.Background(), "den-01") {
		t.Fatal("a publication the link could not make was counted as sent")
	}
	if points != 0 {
		t.Fatalf("%d command points recorded for a link failure", points)
	}
	u.lamps.failing = nil
	if !u.svc.reconcileOne(context.Background(), "den-01") {
		t.Fatal("once the link is back the state was not sent")
	}
}
