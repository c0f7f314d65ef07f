-- caseload schema v5: coordination and advocacy — the client's ties (ecomap), consents to
-- share information, case conferences with action items, transitions between services, the
-- advocacy log and mandated reports.

-- How the client relates to each person around them, set by the practitioner (the ecomap).
ALTER TABLE people ADD COLUMN tie_strength TEXT;          -- strong, weak, stressful
ALTER TABLE people ADD COLUMN support_flow TEXT;          -- to-client, from-client, both, none

-- Release of information: who may receive what, signed, expiring, withdrawn.
CREATE TABLE consents (
    id              INTEGER PRIMARY KEY,
    client_id       INTEGER NOT NULL REFERENCES clients (id),
    person_id       INTEGER REFERENCES people (id),    -- the recipient, when recorded as a person
    to_name         TEXT NOT NULL,                     -- the recipient as written on the form
    covers          TEXT NOT NULL DEFAULT '',          -- what may be shared ('' = everything)
    signed_on       TEXT,
    expires_on      TEXT,
    revoked_on      TEXT,
    revoked_reason  TEXT NOT NULL DEFAULT '',
    lapsed_on       TEXT,                              -- expired and deliberately not renewed
    notes           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX consents_by_client ON consents (client_id, to_name);
CREATE INDEX consents_by_person ON consents (person_id);
-- Today reads only consents still in play (not withdrawn, not let lapse) that have an expiry.
CREATE INDEX consents_expiring ON consents (expires_on, client_id)
    WHERE expires_on IS NOT NULL AND revoked_on IS NULL AND lapsed_on IS NULL;

CREATE TABLE conferences (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL REFERENCES clients (id),
    episode_id  INTEGER REFERENCES episodes (id),
    held_at     TEXT NOT NULL,                  -- UTC
    purpose     TEXT NOT NULL DEFAULT '',
    agenda      TEXT NOT NULL DEFAULT '',
    minutes     TEXT NOT NULL DEFAULT '',
    decisions   TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX conferences_by_client ON conferences (client_id, held_at);

CREATE TABLE conference_attendees (
    conference_id  INTEGER NOT NULL REFERENCES conferences (id),
    position       INTEGER NOT NULL,
    person_id      INTEGER REFERENCES people (id),
    name           TEXT NOT NULL,
    PRIMARY KEY (conference_id, position)
) WITHOUT ROWID;

CREATE TABLE action_items (
    id             INTEGER PRIMARY KEY,
    client_id      INTEGER NOT NULL REFERENCES clients (id),
    conference_id  INTEGER REFERENCES conferences (id),
    position       INTEGER NOT NULL DEFAULT 0,
    owner          TEXT NOT NULL DEFAULT '',
    text           TEXT NOT NULL,
    due_on         TEXT,
    done_on        TEXT,
    created_at     TEXT NOT NULL
);
CREATE INDEX action_items_by_conference ON action_items (conference_id, position);
CREATE INDEX action_items_open ON action_items (due_on, client_id) WHERE done_on IS NULL;

CREATE TABLE transitions (
    id               INTEGER PRIMARY KEY,
    client_id        INTEGER NOT NULL REFERENCES clients (id),
    episode_id       INTEGER REFERENCES episodes (id),
    kind             TEXT NOT NULL,        -- hospital-discharge, agency-move, step-down, step-up, other
    on_date          TEXT NOT NULL,
    from_service     TEXT NOT NULL DEFAULT '',
    to_service       TEXT NOT NULL DEFAULT '',
    handed_over      TEXT NOT NULL DEFAULT '',
    follow_up_on     TEXT,
    follow_up_done   TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX transitions_by_client ON transitions (client_id, on_date);
CREATE INDEX transitions_follow_up ON transitions (follow_up_on, client_id)
    WHERE follow_up_on IS NOT NULL AND follow_up_done IS NULL;

CREATE TABLE advocacy_items (
    id           INTEGER PRIMARY KEY,
    client_id    INTEGER NOT NULL REFERENCES clients (id),
    episode_id   INTEGER REFERENCES episodes (id),
    barrier      TEXT NOT NULL,
    target       TEXT NOT NULL,          -- agency, landlord, school, benefits office...
    deadline     TEXT,                   -- e.g. an appeal date
    opened_on    TEXT NOT NULL,
    outcome      TEXT NOT NULL DEFAULT '',
    closed_on    TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX advocacy_by_client ON advocacy_items (client_id, closed_on);
CREATE INDEX advocacy_deadlines ON advocacy_items (deadline, client_id)
    WHERE deadline IS NOT NULL AND closed_on IS NULL;

CREATE TABLE advocacy_actions (
    id         INTEGER PRIMARY KEY,
    item_id    INTEGER NOT NULL REFERENCES advocacy_items (id),
    on_date    TEXT NOT NULL,
    action     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX advocacy_actions_by_item ON advocacy_actions (item_id, on_date);

-- Child or adult protection reports: never edited after saving; corrections are addenda.
CREATE TABLE mandated_reports (
    id                INTEGER PRIMARY KEY,
    client_id         INTEGER NOT NULL REFERENCES clients (id),
    episode_id        INTEGER REFERENCES episodes (id),
    kind              TEXT NOT NULL,     -- child-protection, adult-protection
    agency            TEXT NOT NULL,
    reported_at       TEXT NOT NULL,     -- UTC
    reference_number  TEXT NOT NULL DEFAULT '',
    what_reported     TEXT NOT NULL,
    reported_by       TEXT NOT NULL,
    created_at        TEXT NOT NULL
);
CREATE INDEX mandated_reports_by_client ON mandated_reports (client_id, reported_at);
CREATE TRIGGER mandated_reports_locked BEFORE UPDATE ON mandated_reports BEGIN
    SELECT RAISE(ABORT, 'mandated reports cannot be changed; add an addendum');
END;
CREATE TRIGGER mandated_reports_kept BEFORE DELETE ON mandated_reports BEGIN
    SELECT RAISE(ABORT, 'mandated reports cannot be deleted');
END;

CREATE TABLE mandated_report_addenda (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES mandated_reports (id),
    written_at  TEXT NOT NULL,
    written_by  TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL
);
CREATE INDEX mandated_report_addenda_by_report ON mandated_report_addenda (report_id, written_at);

-- Searchable with everything else: people 9, conferences 10, advocacy 11, mandated reports 12,
-- transitions 15 (rowid = id * 16 + kind).
CREATE TRIGGER people_ai AFTER INSERT ON people WHEN new.is_self = 0 BEGIN
    INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at)
    VALUES (new.id * 16 + 9, new.name || ' ' || new.relation || ' ' || new.role || ' ' || new.organisation || ' ' || new.notes,
            'person', new.id, new.client_id, new.created_at);
END;
CREATE TRIGGER people_au AFTER UPDATE OF name, relation, role, organisation, notes ON people WHEN new.is_self = 0 BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 16 + 9;
    INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at)
    VALUES (new.id * 16 + 9, new.name || ' ' || new.relation || ' ' || new.role || ' ' || new.organisation || ' ' || new.notes,
            'person', new.id, new.client_id, new.created_at);
END;
CREATE TRIGGER people_ad AFTER DELETE ON people BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 16 + 9;
END;
CREATE TRIGGER conferences_ai AFTER INSERT ON conferences BEGIN
    INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at)
    VALUES (new.id * 16 + 10, new.purpose || ' ' || new.agenda || ' ' || new.minutes || ' ' || new.decisions,
            'conference', new.id, new.client_id, new.held_at);
END;
CREATE TRIGGER conferences_au AFTER UPDATE ON conferences BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 16 + 10;
    INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at)
    VALUES (new.id * 16 + 10, new.purpose || ' ' || new.agenda || ' ' || new.minutes || ' ' || new.decisions,
            'conference', new.id, new.client_id, new.held_at);
END;
CREATE TRIGGER advocacy_ai AFTER INSERT ON advocacy_items BEGIN
    INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at)
    VALUES (new.id * 16 + 11, new.barrier || ' ' || new.target || ' ' || new.outcome, 'advocacy', new.id,
            new.client_id, new.opened_on);
END;
CREATE TRIGGER advocacy_au AFTER UPDATE OF barrier, target, outcome ON advocacy_items BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 16 + 11;
    INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at)
    VALUES (new.id * 16 + 11, new.barrier || ' ' || new.target || ' ' || new.outcome, 'advocacy', new.id,
            new.client_id, new.opened_on);
END;
CREATE TRIGGER mandated_reports_ai AFTER INSERT ON mandated_reports BEGIN
    INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at)
    VALUES (new.id * 16 + 12, new.agency || ' ' || new.reference_number || ' ' || new.what_reported,
            'mandated-report', new.id, new.client_id, new.reported_at);
END;
CREATE TRIGGER transitions_ai AFTER INSERT ON transitions BEGIN
    INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at)
    VALUES (new.id * 16 + 15, new.from_service || ' ' || new.to_service || ' ' || new.handed_over,
            'transition', new.id, new.client_id, new.on_date);
END;

-- people recorded before this version become searchable too
INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at)
SELECT id * 16 + 9, name || ' ' || relation || ' ' || role || ' ' || organisation || ' ' || notes, 'person', id,
       client_id, created_at FROM people WHERE is_self = 0;
