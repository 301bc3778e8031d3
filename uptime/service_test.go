package uptime

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/store"
)

// clock is a settable time for the store and the service.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

func openStore(t *testing.T, c *clock) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Now = c.Now
	t.Cleanup(func() { db.Close() })
	return db
}

var fleet = []Device{
	{ID: "cam-1", Kind: devices.Camera, Zone: "ngo-3"},
	{ID: "den-1", Kind: devices.Light, Zone: "ngo-3"},
	{ID: "loa-1", Kind: devices.Speaker, Zone: "ngo-5"},
}

func recordT(t *testing.T, db *store.DB, id string, a devices.Availability, c devices.Cause, at time.Time) {
	t.Helper()
	if err := db.RecordTransitions(context.Background(), []devices.Transition{{Device: devices.Device{ID: id}, To: a, Cause: c, At: at}}); err != nil {
		t.Fatal(err)
	}
}

// A power cut: the first run never stopped; its last heartbeat bounds it,
// and the time until the next start is unknown for every device.
func TestLocalPowerCutAndRestart(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: m(0)}
	db := openStore(t, c)
	run1, _ := db.StartRun(ctx, "test")
	for _, d := range fleet {
		recordT(t, db, d.ID, devices.Unknown, devices.CauseDaemonStart, m(0))
		recordT(t, db, d.ID, devices.Online, devices.CauseActivity, m(1))
	}
	recordT(t, db, "cam-1", devices.Offline, devices.CauseFrigate, m(10))
	c.t = m(20)
	db.Heartbeat(ctx, run1) // then the power goes
	c.t = m(50)
	run2, _ := db.StartRun(ctx, "test")
	for _, d := range fleet {
		recordT(t, db, d.ID, devices.Unknown, devices.CauseDaemonStart, m(50))
		recordT(t, db, d.ID, devices.Online, devices.CauseActivity, m(51))
	}
	c.t = m(60)
	db.Heartbeat(ctx, run2)
	c.t = m(60).Add(3 * time.Second) // the daemon is running: its run counts until now

	s := New(Options{Area: "khu10", Store: db, Now: c.Now, Devices: func() []Device { return fleet }})
	r, err := s.Uptime(ctx, Query{From: m(0), To: m(120)})
	if err != nil {
		t.Fatal(err)
	}
	if !r.To.Equal(c.t) {
		t.Errorf("report ends %s, want now %s", r.To, c.t)
	}
	cam := r.Devices[0]
	// up 0:01-0:10 and 0:51-now; down 0:10-0:20; unknown 0:00-0:01, 0:20-0:51.
	if cam.ID != "cam-1" || cam.Down != 600 || cam.Up != 540+543 || cam.Unknown != 60+1860 || cam.Outages != 1 {
		t.Errorf("cam-1 = %+v", cam)
	}
	var outs []Outage
	if err := s.Outages(ctx, Query{From: m(0), To: m(120), Kind: devices.Camera}, func(o Outage) error { outs = append(outs, o); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(outs) != 1 || !outs[0].End.Equal(m(20)) || outs[0].Cause != devices.CauseFrigate || outs[0].Ongoing {
		t.Errorf("outages = %+v", outs)
	}
	// A zone-limited caller sees only its zone.
	r, _ = s.Uptime(ctx, Query{From: m(0), To: m(120), Zones: []string{"ngo-5"}})
	if len(r.Devices) != 1 || r.Devices[0].ID != "loa-1" {
		t.Errorf("zone-scoped devices = %+v", r.Devices)
	}
}

func TestMaintenanceLifecycle(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: m(0)}
	db := openStore(t, c)
	run, _ := db.StartRun(ctx, "test")
	recordT(t, db, "den-1", devices.Offline, devices.CauseLWT, m(0))
	s := New(Options{Store: db, Now: c.Now, Devices: func() []Device { return fleet }})
	admin := accounts.User{Name: "admin", Role: accounts.RoleAdmin}
	req := MaintenanceRequest{Target: devices.Target{Zones: []string{"ngo-3"}}, From: m(10).Format(time.RFC3339), To: m(40).Format(time.RFC3339), Note: "thay bóng"}
	if err := req.Validate(); err != nil {
		t.Fatal(err)
	}
	req.Devices = []devices.Device{{ID: "cam-1", Zone: "ngo-3"}, {ID: "den-1", Zone: "ngo-3"}}
	w, err := s.CreateMaintenance(ctx, req, admin)
	if err != nil || w.Status != "planned" || len(w.Devices) != 2 || w.Zones[0] != "ngo-3" || w.Note != "thay bóng" {
		t.Fatalf("created %+v, %v", w, err)
	}
	c.t = m(20)
	w2, err := s.CreateMaintenance(ctx, MaintenanceRequest{FromTime: m(100), ToTime: m(200), Devices: req.Devices[1:]}, admin)
	if err != nil {
		t.Fatal(err)
	}
	if l, _ := s.ListMaintenance(ctx, time.Time{}, time.Time{}, []string{"ngo-5"}); len(l) != 0 {
		t.Errorf("a caller of another zone lists %+v", l)
	}
	if l, _ := s.ListMaintenance(ctx, m(0), m(60), nil); len(l) != 1 || l[0].Status != "active" {
		t.Errorf("listed %+v", l)
	}
	// Cancelling the running window ends it now; the future one vanishes.
	c.t = m(30)
	if w, err = s.CancelMaintenance(ctx, w.ID, admin); err != nil || w.Status != "cancelled" || !w.To.Equal(m(30)) {
		t.Errorf("cancelled %+v, %v", w, err)
	}
	if _, err = s.CancelMaintenance(ctx, w.ID, admin); !errors.Is(err, devices.ErrConflict) {
		t.Errorf("cancelling twice: %v", err)
	}
	if _, err = s.CancelMaintenance(ctx, 999, admin); !errors.Is(err, devices.ErrNotFound) {
		t.Errorf("cancelling an unknown window: %v", err)
	}
	if w2, _ = s.CancelMaintenance(ctx, w2.ID, admin); !w2.To.Equal(w2.From) {
		t.Errorf("a future window cancelled must be empty: %+v", w2)
	}
	db.Heartbeat(ctx, run)
	r, err := s.Uptime(ctx, Query{From: m(0), To: m(60), Device: "den-1"})
	if err != nil {
		t.Fatal(err)
	}
	if d := r.Devices[0]; d.Maintenance != 1200 || d.Down != 600 || d.Outages != 1 {
		t.Errorf("den-1 = %+v", d)
	}
}

func TestQueryCheck(t *testing.T) {
	for _, tc := range []struct {
		q     Query
		field string
	}{
		{Query{From: m(10), To: m(0)}, "to"},
		{Query{From: m(0), To: m(0).AddDate(11, 0, 0)}, "from"},
		{Query{From: m(0), To: m(1), Source: "excel"}, "source"},
	} {
		var fe *devices.FieldError
		if err := tc.q.Check(); !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("Check(%+v) = %v, want an error naming %s", tc.q, err, tc.field)
		}
	}
}
