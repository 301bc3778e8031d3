-- Alerts: one row per alert, from raised to cleared. At most one alert per
-- (device, condition) is open (cleared_at NULL) at a time.
CREATE TABLE alerts (
	id           TEXT PRIMARY KEY,
	device_id    TEXT NOT NULL,            -- '' for the daemon's own alerts
	zone         TEXT NOT NULL DEFAULT '',
	kind         TEXT NOT NULL DEFAULT '',
	condition    TEXT NOT NULL,
	severity     TEXT NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
	message      TEXT NOT NULL,
	raised_at    TEXT NOT NULL,
	acked_at     TEXT,
	acked_by     TEXT NOT NULL DEFAULT '',
	resolving_at TEXT,                     -- the condition ended; cleared unless it returns soon
	cleared_at   TEXT,
	flaps        INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX alerts_open ON alerts (device_id, condition) WHERE cleared_at IS NULL;
CREATE INDEX alerts_raised_at ON alerts (raised_at);

-- The webhook outbox: a notification is stored before it is sent and kept
-- until the receiver accepted it, so one raised while the receiver is down
-- still arrives.
CREATE TABLE alert_outbox (
	id         INTEGER PRIMARY KEY,
	target     TEXT NOT NULL,              -- the webhook's URL
	body       BLOB NOT NULL,
	attempts   INTEGER NOT NULL DEFAULT 0,
	next_at    TEXT NOT NULL,
	last_error TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);
CREATE INDEX alert_outbox_next ON alert_outbox (next_at);
