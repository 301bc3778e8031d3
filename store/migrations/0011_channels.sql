-- Multi-output controllers are several devices, one per output channel:
-- discovered devices gain a channel, and an address is unique with it.
CREATE TABLE discovered_devices_new (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	kind       TEXT NOT NULL DEFAULT '',
	zone       TEXT NOT NULL DEFAULT '',
	protocol   TEXT NOT NULL,
	topic      TEXT NOT NULL,
	channel    TEXT NOT NULL DEFAULT '',
	full_topic TEXT NOT NULL DEFAULT '',
	model      TEXT NOT NULL DEFAULT '',
	firmware   TEXT NOT NULL DEFAULT '',
	first_seen TEXT NOT NULL,
	last_seen  TEXT NOT NULL,
	UNIQUE (protocol, topic, channel)
);
INSERT INTO discovered_devices_new (id, name, kind, zone, protocol, topic, full_topic, model, firmware, first_seen, last_seen)
	SELECT id, name, kind, zone, protocol, topic, full_topic, model, firmware, first_seen, last_seen FROM discovered_devices;
DROP TABLE discovered_devices;
ALTER TABLE discovered_devices_new RENAME TO discovered_devices;
