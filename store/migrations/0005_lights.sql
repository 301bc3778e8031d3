-- What hamlet wants each light to be (the lights capability): pushed to a
-- light whose reported state differs on start, reconnect and return. An
-- override is a manual command holding against the programme until
-- override_until, or until the programme's next step when that is ''.
CREATE TABLE light_desired (
	device_id      TEXT PRIMARY KEY,
	light_on       INTEGER NOT NULL CHECK (light_on IN (0, 1)),
	brightness     INTEGER CHECK (brightness BETWEEN 0 AND 100),
	override       INTEGER NOT NULL DEFAULT 0 CHECK (override IN (0, 1)),
	set_by         TEXT NOT NULL DEFAULT '',
	override_until TEXT NOT NULL DEFAULT '',
	set_at         TEXT NOT NULL
);

-- Burning hours and energy per light and local day (YYYY-MM-DD in the
-- area's timezone): what the commune pays the electricity bill for.
CREATE TABLE light_burn (
	device_id  TEXT NOT NULL,
	day        TEXT NOT NULL,
	zone       TEXT NOT NULL DEFAULT '',
	on_s       REAL NOT NULL DEFAULT 0,
	energy_kwh REAL NOT NULL DEFAULT 0,
	PRIMARY KEY (device_id, day)
);
CREATE INDEX light_burn_day ON light_burn (day);
