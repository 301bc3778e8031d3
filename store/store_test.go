package store

import (
	"context"
	"testing"
	"time"
)

func openTest(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOpenMigratesOnceAndReopens(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db, err := Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil || v < 1 {
		t.Fatalf("schema version = %d, %v; want >= 1", v, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	db2, err := Open(ctx, dir, nil)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db2.Close()
	v2, _ := db2.SchemaVersion(ctx)
	if v2 != v {
		t.Fatalf("version after reopen = %d, want %d", v2, v)
	}
	var mode string
	db2.db.QueryRow("PRAGMA journal_mode").Scan(&mode)
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
}

func TestMigrationsAreOrderedAndUnique(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	// Numbers are reserved per capability (0004 accounts ... 0011 channels),
	// so a branch may lack some: versions must only increase.
	for i, m := range ms {
		if m.version < 1 || (i > 0 && m.version <= ms[i-1].version) {
			t.Errorf("migration %s has version %d, out of order", m.name, m.version)
		}
	}
}

func TestRuns(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	now := t0
	db.Now = func() time.Time { return now }
	id, err := db.StartRun(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	now = t0.Add(time.Minute)
	if err := db.Heartbeat(ctx, id); err != nil {
		t.Fatal(err)
	}
	now = t0.Add(2 * time.Minute)
	if err := db.StopRun(ctx, id); err != nil {
		t.Fatal(err)
	}
	runs, err := db.Runs(ctx, t0, t0.Add(time.Hour))
	if err != nil || len(runs) != 1 {
		t.Fatalf("runs = %v, %v", runs, err)
	}
	r := runs[0]
	if !r.StartedAt.Equal(t0) || !r.StoppedAt.Equal(t0.Add(2*time.Minute)) || r.Version != "test" {
		t.Errorf("run = %+v", r)
	}
}

func TestParseTimeFast(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(2026, 11, 1, 17, 0, 0, 0, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(2026, 2, 28, 0, 0, 0, 1, time.FixedZone("ICT", 7*3600)),
	} {
		s := formatTime(tm)
		got, ok := parseTimeFast([]byte(s))
		want, _ := parseTime(s)
		if !ok || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("parseTimeFast(%s) = %v, %v; want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "2026-11-01", "2026-13-01T00:00:00.000000000Z", "2026-11-01T00:00:00.00000000xZ", "2026-11-01 00:00:00.000000000Z"} {
		if _, ok := parseTimeFast([]byte(s)); ok {
			t.Errorf("parseTimeFast(%q) accepted", s)
		}
	}
}
