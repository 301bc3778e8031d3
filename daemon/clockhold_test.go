package daemon_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/config"
	"github.com/hamlet-vn/hamlet/daemon"
	"github.com/hamlet-vn/hamlet/internal/testsvc"
	"github.com/hamlet-vn/hamlet/internal/testutil"
	"github.com/hamlet-vn/hamlet/sim"
	"github.com/hamlet-vn/hamlet/store"
)

// bootWall is the wall clock of a box without a battery clock: it reads 1970
// (moving at the real pace, with the real monotonic reading) until ntp is
// called, then the real time.
func bootWall() (wall func() time.Time, ntp func()) {
	var offset atomic.Int64
	offset.Store(int64(time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).Sub(time.Now())))
	return func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }, func() { offset.Store(0) }
}

// clockRig runs hamletd on a 1970 clock against real Mosquitto and InfluxDB
// with two simulated Tasmota lights.
func clockRig(t *testing.T) (cfg config.Config, influx *testsvc.Influx, d *daemon.Daemon, stop func() error, ntp func()) {
	t.Helper()
	broker := testsvc.StartMosquitto(t)
	influx = testsvc.StartInflux(t)
	fleet := startFleet(t, broker.URL(), sim.Spec{Lights: 2, Period: 300 * time.Millisecond, Seed: 1})
	cfg = testConfig(t, broker.URL())
	cfg.Influx.URL, cfg.Influx.Bucket = influx.URL(), influx.Bucket()
	withFleet(t, &cfg, fleet)
	wall, ntp := bootWall()
	d = daemon.New(cfg, daemon.Options{Logger: testLogger(t), Version: "test", ShutdownTimeout: 5 * time.Second,
		WallClock: wall, EarliestTime: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	stop = run(t, d)
	base := "http://" + d.HTTPAddr()
	testutil.Eventually(t, 20*time.Second, "points and transitions held", func() bool {
		return metric(t, base, "hamlet_clock_held_points") >= 5 && metric(t, base, "hamlet_clock_held_transitions") >= 2
	})
	return cfg, influx, d, stop, ntp
}

// stored returns run 1 and every availability transition from the stopped
// daemon's store.
func stored(t *testing.T, cfg config.Config) (store.Run, []store.Transition) {
	t.Helper()
	db, err := store.Open(context.Background(), cfg.Storage.Dir, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := db.RunByID(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := db.Transitions(context.Background(), "", time.Unix(0, 0).Add(-time.Hour), time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return r, ts
}

func TestClockHeldTimesAreCorrectedWhenNTPSetsTheClock(t *testing.T) {
	start := time.Now()
	cfg, influx, d, stop, ntp := clockRig(t)
	base := "http://" + d.HTTPAddr()
	if rows := influx.Query(t, `SELECT count(*) FROM light`); rows != nil {
		t.Fatalf("points written while the clock read 1970: %v", rows)
	}
	ntp()
	testutil.Eventually(t, 20*time.Second, "held points written", func() bool {
		return metric(t, base, "hamlet_clock_held_points") == 0 && metric(t, base, "hamlet_clock_held_transitions") == 0
	})
	testutil.Eventually(t, 10*time.Second, "points in InfluxDB", func() bool {
		return influx.Query(t, `SELECT count(power_w) FROM light`) != nil && influx.Query(t, `SELECT count(*) FROM availability`) != nil
	})
	for _, m := range []string{"light", "availability", "daemon"} {
		if rows := influx.Query(t, `SELECT * FROM "`+m+`" WHERE time < '`+start.UTC().Format(time.RFC3339Nano)+`'`); rows != nil {
			t.Errorf("%s points before the test started: %v", m, rows)
		}
	}
	if v := metric(t, base, "hamlet_clock_unknown_points_total"); v != 0 {
		t.Errorf("unknown points = %v", v)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	r, ts := stored(t, cfg)
	if r.StartedAt.Before(start.Add(-time.Second)) || r.StoppedAt.Before(r.StartedAt) || r.StoppedAt.After(time.Now()) {
		t.Errorf("run = %+v, want it within the test (from %s)", r, start)
	}
	if len(ts) < 4 { // each lamp: unknown at the start, then online
		t.Errorf("transitions %+v, want at least 4", ts)
	}
	for _, tr := range ts {
		if tr.At.Before(r.StartedAt.Add(-time.Millisecond)) {
			t.Errorf("transition %+v before the run's start %s", tr, r.StartedAt)
		}
	}
}

func TestClockStoppingBeforeNTPWritesNothingAndVoidsTheRun(t *testing.T) {
	cfg, influx, _, stop, _ := clockRig(t)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if rows := influx.Query(t, `SELECT count(*) FROM /.*/`); rows != nil {
		t.Errorf("points with unknown times written: %v", rows)
	}
	r, ts := stored(t, cfg)
	if len(ts) != 0 {
		t.Errorf("transitions with unknown times stored: %+v", ts)
	}
	if !r.StoppedAt.Equal(r.StartedAt) || !r.LastAlive.Equal(r.StartedAt) {
		t.Errorf("run = %+v, want one of no length", r)
	}
}
