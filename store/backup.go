package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the live database to path with SQLite's
// VACUUM INTO, while the daemon keeps running (WAL readers do not block
// writers). The copy is a complete database: restore it by stopping hamletd
// and copying it over storage.dir/hamlet.db. path must not exist; the copy is
// written beside it first and renamed, so a failed backup leaves nothing.
func (s *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("Tệp %s đã tồn tại / %s already exists: %w", path, path, os.ErrExist)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".hamlet-backup-*")
	if err != nil {
		return fmt.Errorf("Không ghi được vào %s / cannot write in %s: %w", dir, dir, err)
	}
	tmpPath := tmp.Name()
	tmp.Close()
	os.Remove(tmpPath) // VACUUM INTO needs a path that does not exist
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, tmpPath); err != nil {
		os.Remove(tmpPath)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := os.Rename(tmpPath, path); err != nil {
		os.Remove(tmpPath)
		return errors.Join(fmt.Errorf("backup to %s", path), err)
	}
	return nil
}
