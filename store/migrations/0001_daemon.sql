-- Daemon runs: one row per start, closed on clean stop. The uptime report
-- counts time outside runs as unknown rather than down.
CREATE TABLE daemon_runs (
	id         INTEGER PRIMARY KEY,
	started_at TEXT NOT NULL,
	stopped_at TEXT,              -- NULL while running or after a crash
	last_alive TEXT NOT NULL,     -- heartbeat, bounds the run after a crash
	version    TEXT NOT NULL
);
