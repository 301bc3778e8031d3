package store

import "database/sql"

// AnnounceSQL returns the database handle for the announce capability's own
// tables (migration 0008), whose queries live in package announce. The
// handle has one connection: a caller must not query it while it holds a
// transaction of its own.
func (s *DB) AnnounceSQL() *sql.DB { return s.db }
