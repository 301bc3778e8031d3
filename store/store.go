// Package store is hamlet's local database: one SQLite file (modernc.org/sqlite,
// pure Go) in the storage directory, in WAL mode with foreign keys on, whose
// schema is built by embedded, ordered migrations that each run in a
// transaction. The store is the one owner of the database; other packages use
// its repository methods.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// FileName is the database file's name inside the storage directory.
const FileName = "hamlet.db"

// DB is the open database. Its methods are safe for concurrent use.
type DB struct {
	db     *sql.DB
	path   string
	logger *slog.Logger
	// Now returns the current time; tests replace it. Defaults to time.Now.
	Now func() time.Time
}

// Open creates dir if needed, opens (or creates) the database in it and runs
// every pending migration. The caller must Close the DB.
func Open(ctx context.Context, dir string, logger *slog.Logger) (*DB, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create storage dir: %w", err)
	}
	path := filepath.Join(dir, FileName)
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=busy_timeout(5000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	sqlDB, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// SQLite has one writer at a time; a single connection avoids SQLITE_BUSY
	// between our own goroutines and keeps transactions simple.
	sqlDB.SetMaxOpenConns(1)
	s := &DB{db: sqlDB, path: path, logger: logger, Now: time.Now}
	if err := s.Ping(ctx); err != nil {
		sqlDB.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		sqlDB.Close()
		return nil, err
	}
	return s, nil
}

// Path returns the database file's path.
func (s *DB) Path() string { return s.path }

// Ping checks that the database answers a query; the readiness probe and the
// watchdog use it.
func (s *DB) Ping(ctx context.Context) error {
	var one int
	if err := s.db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("store %s: %w", s.path, err)
	}
	return nil
}

// Close closes the database. It is safe to call more than once.
func (s *DB) Close() error {
	if s == nil || s.db == nil {
		return nil
	}
	err := s.db.Close()
	if errors.Is(err, sql.ErrConnDone) {
		err = nil
	}
	return err
}

// tx runs fn in a transaction, committing when fn returns nil.
func (s *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
