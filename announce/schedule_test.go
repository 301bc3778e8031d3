package announce

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/testutil"
)

// TestScheduleAcrossRestarts: a daily 17:30 announcement plays once per
// day across restarts (also one right after publishing, as after a
// SIGKILL), plays late within the grace period and is marked missed after it.
func TestScheduleAcrossRestarts(t *testing.T) {
	dir := t.TempDir()
	c := testutil.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, hanoi))
	db := openDB(t, dir)
	send := &fakeSender{}
	s1 := newTestService(t, db, dir, c, nil, send)
	fakeMedia(t, s1, "m1", 10)
	req := Request{Title: "Bản tin chiều", MediaID: "m1", Cron: "30 17 * * *", Targets: devices.Target{All: true},
		Devices: speakers("loa-1", "ngo-a")}
	sch, err := s1.Announce(context.Background(), req, operator)
	if err != nil {
		t.Fatal(err)
	}
	if sch.Status != Scheduled || !sch.At.Equal(time.Date(2026, 11, 2, 17, 30, 0, 0, hanoi)) {
		t.Fatalf("schedule view %+v", sch)
	}
	tick := func(s *Service) { s.Tick(context.Background()); s.drain() }

	// Day 1: on time; the daemon is killed right after publishing.
	c.Set(time.Date(2026, 11, 2, 17, 30, 1, 0, hanoi))
	tick(s1)
	if n := total(send.plays()); n != 1 {
		t.Fatalf("day 1: %d plays, want 1", n)
	}
	s2 := newTestService(t, db, dir, c, nil, send)
	c.Add(time.Second)
	tick(s2)
	if n := total(send.plays()); n != 1 {
		t.Fatalf("day 1 after restart: %d plays, want still 1", n)
	}

	// Day 2: down at 17:30, back at 17:38 (within grace): plays late, once.
	c.Set(time.Date(2026, 11, 3, 17, 38, 0, 0, hanoi))
	s3 := newTestService(t, db, dir, c, nil, send)
	tick(s3)
	tick(s3)
	if n := total(send.plays()); n != 2 {
		t.Fatalf("day 2 within grace: %d plays, want 2", n)
	}

	// Day 3: back at 17:45 (after grace): missed, visible, not played.
	c.Set(time.Date(2026, 11, 4, 17, 45, 0, 0, hanoi))
	s4 := newTestService(t, db, dir, c, nil, send)
	tick(s4)
	s5 := newTestService(t, db, dir, c, nil, send)
	tick(s5)
	if n := total(send.plays()); n != 2 {
		t.Fatalf("day 3 after grace: %d plays, want still 2", n)
	}
	hist, err := s5.History(context.Background(), time.Date(2026, 11, 4, 0, 0, 0, 0, hanoi), time.Date(2026, 11, 5, 0, 0, 0, 0, hanoi))
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 1 || hist[0].Status != Missed || hist[0].Schedule != sch.ID {
		t.Fatalf("day 3 history %+v, want one missed occurrence", hist)
	}

	// Cancelling the schedule stops later days.
	if err := s5.Cancel(context.Background(), sch.ID, operator); err != nil {
		t.Fatal(err)
	}
	c.Set(time.Date(2026, 11, 5, 17, 30, 5, 0, hanoi))
	tick(s5)
	if n := total(send.plays()); n != 2 {
		t.Fatalf("after cancel: %d plays", n)
	}
}

// TestOneOffAt: an "at" announcement waits for its time; found by a restart
// after its grace period it is missed, never played.
func TestOneOffAt(t *testing.T) {
	dir := t.TempDir()
	c := testutil.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, hanoi))
	db := openDB(t, dir)
	send := &fakeSender{}
	s1 := newTestService(t, db, dir, c, nil, send)
	fakeMedia(t, s1, "m1", 10)
	mk := func(at string) Announcement {
		a, err := s1.Announce(context.Background(), Request{Title: "t", MediaID: "m1", At: at, Targets: devices.Target{All: true},
			Devices: speakers("loa-1", "ngo-a")}, operator)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	a := mk("2026-11-02T10:00:00+07:00")
	b := mk("2026-11-02T12:00:00+07:00")
	s1.Tick(context.Background())
	s1.drain()
	if total(send.plays()) != 0 {
		t.Fatal("played before its time")
	}
	c.Set(time.Date(2026, 11, 2, 10, 5, 0, 0, hanoi))
	s2 := newTestService(t, db, dir, c, nil, send)
	s2.Tick(context.Background())
	s2.drain()
	if send.plays()[a.ID] != 1 {
		t.Fatalf("a: %d plays within grace, want 1", send.plays()[a.ID])
	}
	c.Set(time.Date(2026, 11, 2, 12, 30, 0, 0, hanoi))
	s3 := newTestService(t, db, dir, c, nil, send)
	s3.Tick(context.Background())
	s3.drain()
	if send.plays()[b.ID] != 0 || get(t, s3, b.ID).Status != Missed {
		t.Fatalf("b: %d plays, status %s; want missed", send.plays()[b.ID], get(t, s3, b.ID).Status)
	}
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// TestProgrammes: the schedule capability's announcement programmes are
// validated by announce and play once per occurrence, resolved at the time.
func TestProgrammes(t *testing.T) {
	dir := t.TempDir()
	c := testutil.NewClock(time.Date(2026, 11, 2, 9, 0, 0, 0, hanoi))
	db := openDB(t, dir)
	send := &fakeSender{}
	progs := []Programme{
		{ID: "7", Targets: devices.Target{Zones: []string{"ngo-a"}}, Enabled: true, Created: c.Now(), CreatedBy: "an",
			Program: []byte(`{"title":"Bản tin","media_id":"m1","cron":"0 17 * * *"}`)},
		{ID: "8", Targets: devices.Target{All: true}, Enabled: true, Created: c.Now(), CreatedBy: "an",
			Program: []byte(`{"title":"Họp","media_id":"m1","at":"2026-11-02T10:00:00+07:00","priority":"priority"}`)},
		{ID: "9", Targets: devices.Target{All: true}, Enabled: false, Created: c.Now(),
			Program: []byte(`{"title":"Tắt","media_id":"m1","cron":"* * * * *"}`)},
	}
	mk := func() *Service {
		s, err := New(Options{DB: db.AnnounceSQL(), Sender: send, Dir: dir, Location: hanoi, Now: c.Now,
			Programmes: func(context.Context) ([]Programme, error) { return progs, nil },
			Resolve:    func(devices.Target) []devices.Device { return speakers("loa-1", "ngo-a") }})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := mk()
	fakeMedia(t, s, "m1", 10)
	for prog, field := range map[string]string{
		`{"title":"t","media_id":"m1","cron":"99 * * * *"}`:                             "program.cron",
		`{"title":"t","media_id":"m1","at":"2026-11-01T09:00:00+07:00"}`:                "program.at",
		`{"title":"t","media_id":"m-khong","cron":"0 17 * * *"}`:                        "program.media_id",
		`{"title":"t","text":"","media_id":"","cron":"0 17 * * *"}`:                     "program.text",
		`{"title":"t","media_id":"m1","cron":"0 17 * * *","volume":200}`:                "program.volume",
		`{"title":"t","media_id":"m1","cron":"0 17 * * *","at":"2026-12-01T00:00:00Z"}`: "program",
	} {
		var fe *devices.FieldError
		if err := s.ValidateProgramme([]byte(prog)); !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("%s: %v, want a FieldError naming %s", prog, err, field)
		}
	}
	if next, ok := s.ProgrammeNext(progs[0].Program, c.Now()); !ok || !next.Equal(time.Date(2026, 11, 2, 17, 0, 0, 0, hanoi)) {
		t.Errorf("next %v %v", next, ok)
	}
	tick := func(s *Service) { s.Tick(context.Background()); s.drain() }
	c.Set(time.Date(2026, 11, 2, 10, 0, 1, 0, hanoi))
	tick(s)
	tick(mk())
	c.Set(time.Date(2026, 11, 2, 17, 0, 1, 0, hanoi))
	tick(mk())
	tick(mk())
	if n := total(send.plays()); n != 2 {
		t.Fatalf("%d plays, want 2 (the at and one 17:00)", n)
	}
}
