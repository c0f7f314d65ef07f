-- caseload schema v1: clients, episodes of service, drafts, settings, and the event log
-- that the timeline reads.

CREATE TABLE schema_migrations (
    version     INTEGER PRIMARY KEY,
    applied_at  TEXT NOT NULL
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE clients (
    id                          INTEGER PRIMARY KEY,
    given_name                  TEXT NOT NULL,
    family_name                 TEXT NOT NULL,
    preferred_name              TEXT NOT NULL DEFAULT '',
    pronouns                    TEXT NOT NULL DEFAULT '',
    date_of_birth               TEXT,
    birth_date_estimated        INTEGER NOT NULL DEFAULT 0,
    phone                       TEXT NOT NULL DEFAULT '',
    email                       TEXT NOT NULL DEFAULT '',
    address                     TEXT NOT NULL DEFAULT '',
    language                    TEXT NOT NULL DEFAULT '',
    interpreter_needed          INTEGER NOT NULL DEFAULT 0,
    best_contact                TEXT NOT NULL DEFAULT '',
    safe_to_leave_message       INTEGER,
    referral_source             TEXT NOT NULL DEFAULT '',
    referral_reason             TEXT NOT NULL DEFAULT '',
    intake_date                 TEXT NOT NULL,
    programme                   TEXT NOT NULL DEFAULT '',
    emergency_contact_name      TEXT NOT NULL DEFAULT '',
    emergency_contact_phone     TEXT NOT NULL DEFAULT '',
    emergency_contact_relation  TEXT NOT NULL DEFAULT '',
    external_id                 TEXT NOT NULL DEFAULT '',
    -- accent/case/punctuation-free keys for ordering and matching
    sort_key                    TEXT NOT NULL,
    search_key                  TEXT NOT NULL,
    status                      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    -- the latest contact recorded in a case note (maintained by the notes store)
    last_contact_at             TEXT,
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL
);
CREATE INDEX clients_by_status_name ON clients (status, sort_key);
CREATE INDEX clients_by_name ON clients (sort_key);
CREATE INDEX clients_by_status_contact ON clients (status, last_contact_at);
CREATE INDEX clients_by_contact ON clients (last_contact_at);

CREATE TABLE episodes (
    id            INTEGER PRIMARY KEY,
    client_id     INTEGER NOT NULL REFERENCES clients (id),
    number        INTEGER NOT NULL,
    opened_on     TEXT NOT NULL,
    closed_on     TEXT,
    closed_reason TEXT,
    created_at    TEXT NOT NULL,
    UNIQUE (client_id, number)
);

-- Everything dated that happened to a client; the timeline reads this and each phase's tables.
CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    client_id    INTEGER NOT NULL REFERENCES clients (id),
    episode_id   INTEGER REFERENCES episodes (id),
    occurred_at  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    summary      TEXT NOT NULL
);
CREATE INDEX events_by_client ON events (client_id, occurred_at);

-- Unsaved forms, written while typing and offered back after a crash.
CREATE TABLE drafts (
    key         TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    client_id   INTEGER REFERENCES clients (id),
    title       TEXT NOT NULL,
    payload     TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) WITHOUT ROWID;
