-- The zones each audit entry concerns (the zones of the devices it acted
-- on, of the announcement or schedule it changed), so that the audit log
-- can be filtered to what a zone-limited user may see in the query itself.
-- A device not assigned to a zone is recorded with zone ''.
CREATE TABLE audit_zones (
	audit_id INTEGER NOT NULL REFERENCES audit_log (id) ON DELETE CASCADE,
	zone     TEXT NOT NULL,
	PRIMARY KEY (audit_id, zone)
) WITHOUT ROWID;
CREATE INDEX audit_log_user ON audit_log (user, at);
