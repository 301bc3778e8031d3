-- People who sign in to the API and the phone UI. Zones (a JSON array of
-- zone ids) restrict an operator; an empty array means every zone.
CREATE TABLE users (
	id                  INTEGER PRIMARY KEY,
	name                TEXT NOT NULL UNIQUE COLLATE NOCASE,
	role                TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
	zones               TEXT NOT NULL DEFAULT '[]',
	password_hash       TEXT NOT NULL,
	disabled            INTEGER NOT NULL DEFAULT 0,
	created_at          TEXT NOT NULL,
	updated_at          TEXT NOT NULL,
	password_changed_at TEXT NOT NULL
);

-- Server-side sessions. Only the SHA-256 of the session id is stored, so a
-- copy of the database does not let anyone sign in.
CREATE TABLE sessions (
	id_hash    TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	last_seen  TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	remote     TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

-- API tokens for integrations, stored as SHA-256 hashes; revoked tokens stay
-- for the record.
CREATE TABLE api_tokens (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	role       TEXT NOT NULL CHECK (role IN ('operator', 'viewer')),
	zones      TEXT NOT NULL DEFAULT '[]',
	hash       TEXT NOT NULL UNIQUE,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	last_used  TEXT,
	revoked_at TEXT
);

-- The audit log: every state-changing action, allowed or not.
CREATE TABLE audit_log (
	id     INTEGER PRIMARY KEY,
	at     TEXT NOT NULL,
	user   TEXT NOT NULL,
	source TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL,
	target TEXT NOT NULL DEFAULT '',
	params TEXT NOT NULL DEFAULT '{}',
	result TEXT NOT NULL,
	error  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
