-- Announcements (announce/): audio files, announcements, their delivery to
-- each speaker, the tokens speakers fetch audio with, recurring schedules and
-- the durable claim of each scheduled occurrence (played exactly once).
CREATE TABLE announce_media (
	id           TEXT PRIMARY KEY,
	content_type TEXT NOT NULL,
	duration_s   REAL NOT NULL DEFAULT 0,
	bytes        INTEGER NOT NULL DEFAULT 0,
	path         TEXT NOT NULL,           -- the converted file the speakers play
	original     TEXT NOT NULL DEFAULT '', -- the upload as received
	created      TEXT NOT NULL,
	created_by   TEXT NOT NULL DEFAULT '',
	rendered     INTEGER NOT NULL DEFAULT 0 -- 1: text to speech, not listed as an upload
);

CREATE TABLE announcements (
	id         TEXT PRIMARY KEY,
	title      TEXT NOT NULL,
	body       TEXT NOT NULL,              -- the announcement as JSON (announce.Announcement without deliveries)
	status     TEXT NOT NULL,
	created    TEXT NOT NULL,
	at         TEXT NOT NULL,
	expires    TEXT NOT NULL,
	audio      TEXT NOT NULL DEFAULT ''    -- path of the audio the speakers play
);
CREATE INDEX announcements_created ON announcements (created);

CREATE TABLE announce_deliveries (
	announcement TEXT NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
	device       TEXT NOT NULL,
	body         TEXT NOT NULL,            -- announce.Delivery as JSON
	PRIMARY KEY (announcement, device)
);

CREATE TABLE announce_tokens (
	token        TEXT PRIMARY KEY,
	path         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	expires      TEXT NOT NULL
);

CREATE TABLE announce_schedules (
	id         TEXT PRIMARY KEY,
	request    TEXT NOT NULL,              -- announce.Request as JSON, with its resolved devices
	cron       TEXT NOT NULL DEFAULT '',   -- recurring; or
	at         TEXT NOT NULL DEFAULT '',   -- one-off
	created    TEXT NOT NULL,
	created_by TEXT NOT NULL DEFAULT '',
	deleted    INTEGER NOT NULL DEFAULT 0
);

-- One row per occurrence, inserted before anything is published: its
-- primary key is what makes an occurrence play at most once. schedule is an
-- announce_schedules id ("sch-…") or "schedule:<id>" of the schedule
-- capability's announcement programmes (migration 0006).
CREATE TABLE announce_occurrences (
	schedule     TEXT NOT NULL,
	due          TEXT NOT NULL,
	announcement TEXT NOT NULL DEFAULT '',
	outcome      TEXT NOT NULL,            -- played or missed
	claimed      TEXT NOT NULL,
	PRIMARY KEY (schedule, due)
);
