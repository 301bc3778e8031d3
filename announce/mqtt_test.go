package announce

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/protocols"
	"github.com/hamlet-vn/hamlet/ingest"
	"github.com/hamlet-vn/hamlet/internal/testsvc"
	"github.com/hamlet-vn/hamlet/mqttlink"
	"github.com/hamlet-vn/hamlet/sim"
	"github.com/hamlet-vn/hamlet/store"
)

// rig is the daemon's announcement path on a real broker: router,
// registry, ingest (with Observe), broker link, and the service.
type rig struct {
	svc  *Service
	link *mqttlink.Link
	reg  *devices.Registry
}

type linkSender struct {
	router *protocols.Router
	link   *mqttlink.Link
}

func (l linkSender) Send(ctx context.Context, cmd devices.Command) error {
	msgs, err := l.router.Encode(cmd)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if err := l.link.Publish(ctx, m.Topic, m.QoS, false, m.Payload); err != nil {
			return err
		}
	}
	return nil
}

func newRig(t *testing.T, broker string, declared []devices.Device) *rig {
	t.Helper()
	dir := t.TempDir()
	db := openDB(t, dir)
	router, err := protocols.New(protocols.Options{Area: "khu10", Devices: declared})
	if err != nil {
		t.Fatal(err)
	}
	reg := devices.NewRegistry(declared, nil, time.Now())
	link := mqttlink.New(mqttlink.Options{Broker: broker, ClientID: "hamletd-announce-test"})
	r := &rig{link: link, reg: reg}
	svc, err := New(Options{DB: db.AnnounceSQL(), Sender: linkSender{router, link}, Devices: reg, Audit: db, Dir: dir,
		PublicURL: "http://127.0.0.1:9", Location: hanoi, AnswerTimeout: 3 * time.Second, TickEvery: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	r.svc = svc
	pipe := ingest.New(ingest.Options{Area: "khu10", Decoder: router, Registry: reg, Store: db, Observe: svc.Observe})
	for _, f := range router.Subscriptions() {
		if err := link.Subscribe(f, 1, func(m *mqttlink.Message) { pipe.Handle(m.Topic, m.Payload, m.Retained, m.AckFunc()) }); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	if err := link.Start(ctx); err != nil {
		t.Fatal(err)
	}
	go func() { svc.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done; link.Close() })
	return r
}

// wait polls cond for up to 20 s.
func wait(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSimulatedSpeakers runs announcements on simulated native speakers
// through a real Mosquitto: one plays to the end, one is offline and plays
// once back, one never answers, one refuses; an emergency preempts a normal
// announcement mid-play, which is re-queued and plays again after it; and a
// cancel stops a play.
func TestSimulatedSpeakers(t *testing.T) {
	m := testsvc.StartMosquitto(t)
	fleet, err := sim.New(sim.Spec{Area: "khu10", Speakers: 5, Zones: []string{"ngo-a"}, Period: time.Hour,
		AudioDuration: 1500 * time.Millisecond}, sim.Options{Broker: m.URL()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := fleet.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fleet.Close() })
	declared := fleet.Devices()
	r := newRig(t, m.URL(), declared)
	wait(t, "speakers online", func() bool {
		for _, d := range declared {
			if st, ok := r.reg.Get(d.ID); !ok || st.Availability != devices.Online {
				return false
			}
		}
		return true
	})
	fakeMedia(t, r.svc, "m1", 1.5)
	events, stop := r.svc.Events(1024)
	defer stop()

	// loa-03 offline (Last Will), loa-04 silent, loa-05 busy with a play
	// from elsewhere at emergency priority, so it refuses ours.
	if err := fleet.DropWithWill("loa-03"); err != nil {
		t.Fatal(err)
	}
	wait(t, "loa-03 offline", func() bool { st, _ := r.reg.Get("loa-03"); return st.Availability == devices.Offline })
	if err := fleet.DropSilently("loa-04"); err != nil {
		t.Fatal(err)
	}
	busy, _ := json.Marshal(map[string]any{"id": "x1", "play": map[string]any{"url": "http://x/y.mp3", "announcement": "elsewhere",
		"priority": "emergency", "duration_s": 60}})
	if err := r.link.Publish(ctx, "hamlet/khu10/loa-05/cmd", 1, false, busy); err != nil {
		t.Fatal(err)
	}
	wait(t, "loa-05 busy", func() bool {
		st, _ := r.reg.Get("loa-05")
		return st.Reported.Speaker != nil && st.Reported.Speaker.Playing != nil && *st.Reported.Speaker.Playing == "elsewhere"
	})

	a, err := r.svc.Announce(ctx, Request{Title: "Họp tổ", MediaID: "m1", Targets: devices.Target{All: true}, Devices: declared}, operator)
	if err != nil {
		t.Fatal(err)
	}
	wait(t, "loa-01 playing", func() bool { return statusOf(get(t, r.svc, a.ID), "loa-01").Status == Playing })
	e, err := r.svc.Announce(ctx, Request{Title: "Bão", MediaID: "m1", Priority: "emergency", Targets: devices.Target{Devices: []string{"loa-01"}},
		Devices: declared[:1]}, operator)
	if err != nil {
		t.Fatal(err)
	}
	wait(t, "emergency done", func() bool { return get(t, r.svc, e.ID).Status == Done })
	if err := fleet.Restore("loa-03"); err != nil {
		t.Fatal(err)
	}
	wait(t, "normal announcement settled", func() bool {
		st := get(t, r.svc, a.ID).Status
		return st != Sending && st != Scheduled
	})
	got := get(t, r.svc, a.ID)
	want := map[string]string{"loa-01": Done, "loa-02": Done, "loa-03": Done, "loa-04": Failed, "loa-05": Failed}
	for dev, st := range want {
		if d := statusOf(got, dev); d.Status != st {
			t.Errorf("%s: %+v, want %s", dev, d, st)
		}
	}
	if d := statusOf(got, "loa-01"); d.Attempts != 2 || d.DoneAt.Before(get(t, r.svc, e.ID).Deliveries[0].DoneAt) {
		t.Errorf("loa-01 after preemption: %+v, want played again after the emergency", d)
	}
	if d := statusOf(got, "loa-04"); !strings.Contains(d.Error, "no answer") {
		t.Errorf("loa-04 reason %q", d.Error)
	}
	if d := statusOf(got, "loa-05"); !strings.Contains(d.Error, "busy") {
		t.Errorf("loa-05 reason %q", d.Error)
	}
	if d := statusOf(got, "loa-02"); d.SentAt.IsZero() || d.PlayingAt.Before(d.SentAt) || d.DoneAt.Before(d.PlayingAt) {
		t.Errorf("loa-02 times %+v", d)
	}
	if got.Status != Partial {
		t.Errorf("overall %s, want partial", got.Status)
	}
	seen := map[string]bool{}
	for len(events) > 0 {
		ev := <-events
		if ev.Announcement == a.ID && ev.Device == "loa-03" {
			seen[ev.Status] = true
		}
	}
	for _, st := range []string{Offline, Sent, Playing, Done} {
		if !seen[st] {
			t.Errorf("no live event %s for loa-03 (saw %v)", st, seen)
		}
	}

	// Cancel stops a play where it plays.
	long := fleet
	_ = long
	c, err := r.svc.Announce(ctx, Request{Title: "Huỷ", MediaID: "m1", Repeat: 5, Targets: devices.Target{Devices: []string{"loa-02"}},
		Devices: declared[1:2]}, operator)
	if err != nil {
		t.Fatal(err)
	}
	wait(t, "loa-02 playing", func() bool { return statusOf(get(t, r.svc, c.ID), "loa-02").Status == Playing })
	if err := r.svc.Cancel(ctx, c.ID, operator); err != nil {
		t.Fatal(err)
	}
	wait(t, "loa-02 stopped", func() bool {
		st, _ := r.reg.Get("loa-02")
		return st.Reported.Speaker != nil && st.Reported.Speaker.Playing != nil && *st.Reported.Speaker.Playing == ""
	})
	if got := get(t, r.svc, c.ID); got.Status != Cancelled || statusOf(got, "loa-02").Status != Cancelled {
		t.Errorf("cancelled: %+v", got)
	}
}

var _ = store.AuditEntry{}
