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
	// Versions are reserved per capability, so gaps are expected; they must
	// be unique (migrations checks) and ascending.
	for i, m := range ms {
		if m.version < 1 || (i > 0 && m.version <= ms[i-1].version) {
			t.Errorf("migration %s has version %d after %d", m.name, m.version, ms[max(i-1, 0)].version)
		}
	}
}

// TestMigrationLandingLateIsApplied: a database that already has a newer
// migration (0009) still gets an older one that landed later (0004).
func TestMigrationLandingLateIsApplied(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Pretend 0004 had not landed yet when this database was last opened.
	for _, q := range []string{`DROP TABLE audit_zones`, `DROP INDEX audit_log_user`, `DELETE FROM schema_migrations WHERE version = 4`} {
		if _, err := db.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	db, err = Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.AppendAudit(ctx, AuditEntry{At: time.Now(), User: "an", Action: "command", Result: "ok", Zones: []string{"ngo-a"}}); err != nil {
		t.Fatalf("0004 not applied on reopen: %v", err)
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
