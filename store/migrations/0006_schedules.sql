-- Light programmes and recurring announcements (the schedule capability).
-- targets and program are JSON as the API takes them; zones (a JSON array)
-- are the zones of the target devices when the schedule was last saved, for
-- the zone checks of later changes.
CREATE TABLE schedules (
	id         INTEGER PRIMARY KEY,
	kind       TEXT NOT NULL CHECK (kind IN ('light', 'announcement')),
	name       TEXT NOT NULL,
	targets    TEXT NOT NULL,
	program    TEXT NOT NULL,
	enabled    INTEGER NOT NULL DEFAULT 1,
	zones      TEXT NOT NULL DEFAULT '[]',
	created_at TEXT NOT NULL,
	created_by TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	updated_by TEXT NOT NULL
);
CREATE INDEX schedules_kind ON schedules (kind);
