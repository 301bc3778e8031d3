package alerts

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/testutil"
	"github.com/hamlet-vn/hamlet/store"
)

// clock is an injected time that tests move by hand.
type clock = testutil.Clock

// fleet is a fake device source.
type fleet struct{ ds []devices.Status }

func (f *fleet) List(devices.Filter) []devices.Status { return f.ds }

func openStore(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// recorder is a Notifier that keeps the events it hears.
type recorder struct {
	mu     sync.Mutex
	events []Event
}

func (r *recorder) Notify(_ context.Context, e Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}
func (r *recorder) types() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		out = append(out, e.Type)
	}
	return out
}

func lamp(av devices.Availability, since time.Time) devices.Status {
	return devices.Status{Device: devices.Device{ID: "den-01", Name: "Đèn 1", Kind: devices.Light, Zone: "ngo-3"},
		Availability: av, Since: since, Cause: "lwt"}
}

func TestOfflineBeyondGraceRaisesOnceAndReturnClears(t *testing.T) {
	ctx := context.Background()
	c := testutil.NewClock(time.Date(2026, 12, 4, 19, 0, 0, 0, time.UTC))
	rec := &recorder{}
	m := NewManager(openStore(t), Options{Now: c.Now}, rec)
	f := &fleet{ds: []devices.Status{lamp(devices.Offline, c.Now())}}
	w := NewWatcher(f, m, WatcherOptions{Now: c.Now})

	check := func() {
		t.Helper()
		if err := w.Check(ctx); err != nil {
			t.Fatal(err)
		}
		if err := m.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	check()
	c.Add(14 * time.Minute)
	check()
	if len(m.Open()) != 0 {
		t.Fatalf("alert before the 15m grace: %+v", m.Open())
	}
	c.Add(time.Minute)
	check()
	check()
	if open := m.Open(); len(open) != 1 || open[0].Condition != DeviceOffline || open[0].Severity != Critical {
		t.Fatalf("open alerts = %+v, want one critical device_offline", open)
	}
	f.ds[0] = lamp(devices.Online, c.Now())
	check()
	if len(m.Open()) != 1 {
		t.Fatal("cleared before the condition stayed away for ClearAfter")
	}
	c.Add(2 * time.Minute)
	check()
	if len(m.Open()) != 0 {
		t.Fatalf("still open after the device returned: %+v", m.Open())
	}
	if got := rec.types(); len(got) != 2 || got[0] != "raised" || got[1] != "cleared" {
		t.Fatalf("events = %v, want [raised cleared]", got)
	}
}

func TestFlappingDeviceRaisesOneAlertWithFlapCount(t *testing.T) {
	ctx := context.Background()
	c := testutil.NewClock(time.Date(2026, 12, 4, 19, 0, 0, 0, time.UTC))
	rec := &recorder{}
	m := NewManager(openStore(t), Options{Now: c.Now}, rec)
	f := &fleet{}
	w := NewWatcher(f, m, WatcherOptions{Now: c.Now, OfflineAfter: map[devices.Kind]time.Duration{devices.Light: time.Minute}})
	for i := 0; i < 5; i++ {
		f.ds = []devices.Status{lamp(devices.Offline, c.Now())}
		c.Add(90 * time.Second)
		w.Check(ctx)
		m.Tick(ctx)
		f.ds = []devices.Status{lamp(devices.Online, c.Now())}
		c.Add(30 * time.Second)
		w.Check(ctx)
		m.Tick(ctx)
	}
	all, err := m.List(ctx, Query{All: true, From: c.Now().Add(-time.Hour), To: c.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].Flaps != 4 {
		t.Fatalf("alerts = %+v, want one with 4 flaps", all)
	}
	if got := rec.types(); got[0] != "raised" || len(got) != 5 {
		t.Fatalf("events = %v, want one raise and four flaps", got)
	}
}

func TestAckRecordsUserAndRestartKeepsOpenAlerts(t *testing.T) {
	ctx := context.Background()
	c := testutil.NewClock(time.Date(2026, 12, 4, 19, 0, 0, 0, time.UTC))
	db := openStore(t)
	m := NewManager(db, Options{Now: c.Now})
	a, err := m.Raise(ctx, Problem{Key: Key{"cam-1", CameraNotStreaming}, Zone: "ngo-1", Severity: Warning, Message: "x / x"})
	if err != nil {
		t.Fatal(err)
	}
	c.Add(time.Minute)
	acked, err := m.Ack(ctx, a.ID, "lan")
	if err != nil || acked.AckedBy != "lan" || !acked.AckedAt.Equal(c.Now()) || acked.State != Acknowledged {
		t.Fatalf("ack = %+v, %v", acked, err)
	}
	if _, err := m.Ack(ctx, "al-nope", "lan"); err == nil {
		t.Fatal("ack of an unknown alert succeeded")
	}

	// A restart: a new manager over the same store knows the open alert and
	// does not raise it again.
	m2 := NewManager(db, Options{Now: c.Now})
	if err := m2.Load(ctx); err != nil {
		t.Fatal(err)
	}
	again, _ := m2.Raise(ctx, Problem{Key: Key{"cam-1", CameraNotStreaming}, Severity: Warning})
	if again.ID != a.ID || again.AckedBy != "lan" {
		t.Fatalf("after restart got %+v, want the same acknowledged alert %s", again, a.ID)
	}
	zoned, _ := m2.List(ctx, Query{Zones: []string{"ngo-2"}})
	if len(zoned) != 0 {
		t.Fatalf("an operator of ngo-2 sees %+v", zoned)
	}
	if mine, _ := m2.List(ctx, Query{Zones: []string{"ngo-1"}}); len(mine) != 1 {
		t.Fatalf("an operator of ngo-1 sees %+v", mine)
	}
}

func TestWebhookSignedRetriedAndDurable(t *testing.T) {
	ctx := context.Background()
	c := testutil.NewClock(time.Date(2026, 12, 4, 19, 0, 0, 0, time.UTC))
	db := openStore(t)
	var fails atomic.Int32
	fails.Store(1)
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("X-Hamlet-Signature") != Sign("s3cret", body) {
			t.Errorf("bad signature %q", r.Header.Get("X-Hamlet-Signature"))
		}
		if fails.Add(-1) >= 0 {
			http.Error(w, "busy", http.StatusInternalServerError)
			return
		}
		got.Store(string(body))
	}))
	defer srv.Close()
	down := "http://127.0.0.1:1/hook" // nothing listens: the receiver is down
	hooks := NewWebhooks([]Webhook{{URL: srv.URL, Secret: "s3cret"}, {URL: down, Secret: "x", MinSeverity: Critical}}, db, "khu10", c.Now, nil)
	m := NewManager(db, Options{Now: c.Now}, hooks)
	if _, err := m.Raise(ctx, Problem{Key: Key{"den-01", DeviceOffline}, Severity: Critical, Message: "Đèn 1 mất kết nối / offline"}); err != nil {
		t.Fatal(err)
	}
	hooks.DeliverDue(ctx) // first answer is 500, the other receiver is down
	if got.Load() != nil || hooks.Failed.Load() != 2 {
		t.Fatalf("after one round: body %v, failed %d", got.Load(), hooks.Failed.Load())
	}
	c.Add(2 * time.Second)
	hooks.DeliverDue(ctx)
	if body, _ := got.Load().(string); body == "" || !strings.Contains(body, `"event":"raised"`) || !strings.Contains(body, "Đèn 1") {
		t.Fatalf("receiver got %q", body)
	}
	if n, _ := db.OutboxLen(ctx); n != 1 {
		t.Fatalf("outbox holds %d, want the down receiver's one", n)
	}
	// A restart does not lose the waiting notification.
	hooks2 := NewWebhooks([]Webhook{{URL: down, Secret: "x"}}, db, "khu10", c.Now, nil)
	c.Add(time.Hour)
	hooks2.DeliverDue(ctx)
	if n, _ := db.OutboxLen(ctx); n != 1 || hooks2.Failed.Load() != 1 {
		t.Fatalf("outbox %d failed %d: the notification for a down receiver must wait", n, hooks2.Failed.Load())
	}
}
