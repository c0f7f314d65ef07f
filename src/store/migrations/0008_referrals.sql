-- caseload schema v8: referrals tracked to a closed loop, their history and the appointments
-- arranged; a person around the client can be linked to a directory organisation.

ALTER TABLE people ADD COLUMN organisation_id INTEGER REFERENCES organisations (id);

CREATE TABLE referrals (
    id                 INTEGER PRIMARY KEY,
    client_id          INTEGER NOT NULL REFERENCES clients (id),
    episode_id         INTEGER REFERENCES episodes (id),
    service_id         INTEGER REFERENCES services (id),     -- from the directory, or
    provider           TEXT NOT NULL DEFAULT '',             -- a provider typed in
    need               TEXT NOT NULL DEFAULT '',             -- the need it serves, in words
    need_domain        TEXT NOT NULL DEFAULT '',
    goal_id            INTEGER REFERENCES goals (id),
    urgency            TEXT NOT NULL DEFAULT 'routine',
    method             TEXT NOT NULL DEFAULT '',             -- phone, email, fax, portal, letter, in person
    contact_person_id  INTEGER REFERENCES people (id),
    contact_name       TEXT NOT NULL DEFAULT '',
    info_shared        TEXT NOT NULL DEFAULT '',
    consent_id         INTEGER REFERENCES consents (id),     -- the release it was sent under
    status             TEXT NOT NULL DEFAULT 'draft',
    status_since       TEXT NOT NULL,                        -- a day: drives the age
    held_from          TEXT,                                 -- the state an on-hold referral returns to
    sent_on            TEXT,
    follow_up_on       TEXT,
    outcome            TEXT NOT NULL DEFAULT '',
    notes              TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX referrals_by_client ON referrals (client_id, status_since);
CREATE INDEX referrals_by_service ON referrals (service_id);
-- Today and the board read only open referrals.
CREATE INDEX referrals_open ON referrals (follow_up_on, status_since, client_id, status)
    WHERE status IN ('draft', 'sent', 'acknowledged', 'accepted', 'in-service', 'on-hold');

CREATE TABLE referral_events (
    id            INTEGER PRIMARY KEY,
    referral_id   INTEGER NOT NULL REFERENCES referrals (id),
    on_date       TEXT NOT NULL,            -- the day it happened (may be earlier than recorded)
    recorded_at   TEXT NOT NULL,
    from_status   TEXT,
    to_status     TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    reason        TEXT NOT NULL DEFAULT '',
    by_whom       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX referral_events_by_referral ON referral_events (referral_id, on_date);

CREATE TABLE appointments (
    id             INTEGER PRIMARY KEY,
    referral_id    INTEGER NOT NULL REFERENCES referrals (id),
    at             TEXT NOT NULL,            -- UTC
    place          TEXT NOT NULL DEFAULT '',
    transport      TEXT NOT NULL DEFAULT 'unknown',   -- yes, no, unknown
    transport_how  TEXT NOT NULL DEFAULT '',
    notes          TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL
);
CREATE INDEX appointments_by_referral ON appointments (referral_id, at);

-- Searchable with everything else (rowid = id * 16 + 8); the provider's name is kept in the
-- row by the store, since the directory entry may change.
CREATE TRIGGER referrals_ai AFTER INSERT ON referrals BEGIN
    INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at)
    VALUES (new.id * 16 + 8, new.provider || ' ' || new.need || ' ' || new.info_shared || ' ' || new.notes || ' '
            || new.outcome, 'referral', new.id, new.client_id, new.created_at);
END;
CREATE TRIGGER referrals_au AFTER UPDATE OF provider, need, info_shared, notes, outcome ON referrals BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 16 + 8;
    INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at)
    VALUES (new.id * 16 + 8, new.provider || ' ' || new.need || ' ' || new.info_shared || ' ' || new.notes || ' '
            || new.outcome, 'referral', new.id, new.client_id, new.created_at);
END;
