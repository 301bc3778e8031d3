package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBackupIsACompleteRestorableCopy(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.StartRun(ctx, "v1"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	// Restore: copy the backup into a fresh storage dir and open it.
	restored := t.TempDir()
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, FileName), b, 0o600); err != nil {
		t.Fatal(err)
	}
	db2, err := Open(ctx, restored, nil)
	if err != nil {
		t.Fatalf("the backup does not open: %v", err)
	}
	defer db2.Close()
	var n int
	if err := db2.db.QueryRowContext(ctx, `SELECT count(*) FROM daemon_runs WHERE version = 'v1'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("restored runs = %d, %v", n, err)
	}
	if err := db.Backup(ctx, out); err == nil || !strings.Contains(err.Error(), "đã tồn tại") {
		t.Fatalf("a second backup over the first: %v", err)
	}
}

func TestBackupToUnwritablePathIsAClearError(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Backup(ctx, "/nonexistent-dir/backup.db")
	if err == nil || !strings.Contains(err.Error(), "/nonexistent-dir") {
		t.Fatalf("backup to a missing dir: %v", err)
	}
}
