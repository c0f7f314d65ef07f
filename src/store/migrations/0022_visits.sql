-- caseload schema v20: planned contacts (the diary, issue 19 point 1). A contact belongs to a
-- client, is planned at a moment (UTC) for some minutes, and ends done, missed (an attempted
-- contact: the client was not there) or cancelled with a reason. Every change is a row in
-- visit_events.

CREATE TABLE visits (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL REFERENCES clients (id),
    at          TEXT NOT NULL,                     -- UTC
    minutes     INTEGER NOT NULL DEFAULT 60,
    kind        TEXT NOT NULL DEFAULT 'home',      -- home, office, phone, video, school, court, hospital, other
    place       TEXT NOT NULL DEFAULT '',
    with_whom   TEXT NOT NULL DEFAULT '',
    purpose     TEXT NOT NULL DEFAULT '',
    travel      TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL DEFAULT 'planned',   -- planned, done, missed, cancelled
    reason      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX visits_by_at ON visits (at);
CREATE INDEX visits_by_client ON visits (client_id, at);
CREATE INDEX visits_planned_by_at ON visits (at) WHERE state = 'planned';

CREATE TABLE visit_events (
    id           INTEGER PRIMARY KEY,
    visit_id     INTEGER NOT NULL REFERENCES visits (id),
    recorded_at  TEXT NOT NULL,
    from_state   TEXT NOT NULL DEFAULT '',
    to_state     TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    by_whom      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX visit_events_by_visit ON visit_events (visit_id, id);
