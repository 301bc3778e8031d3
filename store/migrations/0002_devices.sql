-- Devices found by discovery (declared devices live in the config). The
-- installer assigns a zone later; kind may be unknown until then.
CREATE TABLE discovered_devices (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	kind       TEXT NOT NULL DEFAULT '',
	zone       TEXT NOT NULL DEFAULT '',
	protocol   TEXT NOT NULL,
	topic      TEXT NOT NULL,
	full_topic TEXT NOT NULL DEFAULT '',
	model      TEXT NOT NULL DEFAULT '',
	firmware   TEXT NOT NULL DEFAULT '',
	first_seen TEXT NOT NULL,
	last_seen  TEXT NOT NULL,
	UNIQUE (protocol, topic)
);

-- Every availability transition, with its cause: the raw material of the
-- uptime report.
CREATE TABLE availability_transitions (
	id        INTEGER PRIMARY KEY,
	device_id TEXT NOT NULL,
	at        TEXT NOT NULL,
	state     TEXT NOT NULL CHECK (state IN ('online', 'offline', 'unknown')),
	cause     TEXT NOT NULL
);
CREATE INDEX availability_transitions_device_at ON availability_transitions (device_id, at);
CREATE INDEX availability_transitions_at ON availability_transitions (at);
