-- Planned maintenance: time excluded from the uptime of the listed devices.
-- A zone target is resolved to its devices when the window is declared.
-- Cancelling ends the window at the moment of cancelling (a future window
-- becomes empty); the row stays for the record.
CREATE TABLE maintenance_windows (
	id           INTEGER PRIMARY KEY,
	starts_at    TEXT NOT NULL,
	ends_at      TEXT NOT NULL,
	target       TEXT NOT NULL DEFAULT '{}', -- the request's target, JSON
	note         TEXT NOT NULL DEFAULT '',
	created_by   TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	cancelled_by TEXT,
	cancelled_at TEXT
);
CREATE INDEX maintenance_windows_ends ON maintenance_windows (ends_at);

CREATE TABLE maintenance_devices (
	window_id INTEGER NOT NULL REFERENCES maintenance_windows (id) ON DELETE CASCADE,
	device_id TEXT NOT NULL,
	zone      TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (window_id, device_id)
);
