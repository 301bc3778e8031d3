-- The phone UI's per-user preferences: the language chosen ('vi' or 'en').
-- A user without a row reads Vietnamese.
CREATE TABLE user_prefs (
	user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	lang    TEXT NOT NULL CHECK (lang IN ('vi', 'en'))
);
