-- caseload schema v4: assessments, the people around the client (household and family first),
-- risk and safety flags with their history, screener administrations and safety alerts.

-- Timeline lines point at the record they are about, so Enter can open it.
ALTER TABLE events ADD COLUMN record_kind TEXT;
ALTER TABLE events ADD COLUMN record_id INTEGER;

-- The client's own safety state, kept by the store so lists can show it without a join.
ALTER TABLE clients ADD COLUMN risk_level TEXT;                         -- highest open flag
ALTER TABLE clients ADD COLUMN open_alerts INTEGER NOT NULL DEFAULT 0;  -- unacknowledged

-- One table of people around the client: household and family now; contacts, conference
-- attendees and referral contact persons reuse it. `is_self` is the client's own row in the
-- family tree (created when the family is first recorded).
CREATE TABLE people (
    id              INTEGER PRIMARY KEY,
    client_id       INTEGER NOT NULL REFERENCES clients (id),
    is_self         INTEGER NOT NULL DEFAULT 0,
    name            TEXT NOT NULL,
    relation        TEXT NOT NULL DEFAULT '',      -- what they are to the client, in words
    sex             TEXT NOT NULL DEFAULT 'unknown',
    birth_year      INTEGER,
    deceased        INTEGER NOT NULL DEFAULT 0,
    in_household    INTEGER NOT NULL DEFAULT 0,
    family          INTEGER NOT NULL DEFAULT 1,    -- drawn in the genogram
    mother_id       INTEGER REFERENCES people (id),
    father_id       INTEGER REFERENCES people (id),
    role            TEXT NOT NULL DEFAULT '',
    organisation    TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    notes           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX people_by_client ON people (client_id, name);
CREATE UNIQUE INDEX people_self ON people (client_id) WHERE is_self = 1;

CREATE TABLE partnerships (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL REFERENCES clients (id),
    person_a    INTEGER NOT NULL REFERENCES people (id),
    person_b    INTEGER NOT NULL REFERENCES people (id),
    status      TEXT NOT NULL CHECK (status IN ('current', 'former')),
    CHECK (person_a < person_b),
    UNIQUE (person_a, person_b)
);
CREATE INDEX partnerships_by_client ON partnerships (client_id);

CREATE TABLE assessments (
    id                INTEGER PRIMARY KEY,
    client_id         INTEGER NOT NULL REFERENCES clients (id),
    episode_id        INTEGER REFERENCES episodes (id),
    assessed_on       TEXT NOT NULL,                 -- a day
    based_on          INTEGER REFERENCES assessments (id),
    -- the narrative sections, each free text
    needs_narrative   TEXT NOT NULL DEFAULT '',
    strengths         TEXT NOT NULL DEFAULT '',
    barriers          TEXT NOT NULL DEFAULT '',
    family_history    TEXT NOT NULL DEFAULT '',
    medical_history   TEXT NOT NULL DEFAULT '',
    medications       TEXT NOT NULL DEFAULT '',
    providers         TEXT NOT NULL DEFAULT '',
    socioeconomic     TEXT NOT NULL DEFAULT '',
    cultural          TEXT NOT NULL DEFAULT '',
    living_situation  TEXT NOT NULL DEFAULT '',
    -- risk and safety: a level (NULL = not assessed) and a safety-plan note for each area
    risk_self_level            TEXT,
    risk_self_plan             TEXT NOT NULL DEFAULT '',
    risk_from_others_level     TEXT,
    risk_from_others_plan      TEXT NOT NULL DEFAULT '',
    risk_to_others_level       TEXT,
    risk_to_others_plan        TEXT NOT NULL DEFAULT '',
    safeguarding_level         TEXT,
    safeguarding_plan          TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX assessments_by_client ON assessments (client_id, assessed_on);

-- Presenting needs: short items with their life domain, which plans and referrals pick from.
CREATE TABLE assessment_needs (
    id             INTEGER PRIMARY KEY,
    assessment_id  INTEGER NOT NULL REFERENCES assessments (id),
    position       INTEGER NOT NULL,
    life_domain    TEXT NOT NULL,
    text           TEXT NOT NULL
);
CREATE INDEX needs_by_assessment ON assessment_needs (assessment_id, position);

-- Optional 1-4 ratings per life domain (1 critical, 2 has a problem, 3 not ideal, 4 good).
CREATE TABLE domain_ratings (
    assessment_id  INTEGER NOT NULL REFERENCES assessments (id),
    life_domain    TEXT NOT NULL,
    rating         INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    PRIMARY KEY (assessment_id, life_domain)
) WITHOUT ROWID;

-- A risk flag stays on the client until reviewed and lowered with a reason.
CREATE TABLE risk_flags (
    id            INTEGER PRIMARY KEY,
    client_id     INTEGER NOT NULL REFERENCES clients (id),
    area          TEXT NOT NULL,     -- self, from-others, to-others, safeguarding
    level         TEXT NOT NULL,     -- medium, high
    raised_at     TEXT NOT NULL,
    lowered_at    TEXT,
    reviewed_at   TEXT
);
CREATE INDEX risk_flags_by_client ON risk_flags (client_id, lowered_at);
CREATE INDEX risk_flags_open ON risk_flags (raised_at, client_id) WHERE lowered_at IS NULL;

CREATE TABLE risk_flag_events (
    id          INTEGER PRIMARY KEY,
    flag_id     INTEGER NOT NULL REFERENCES risk_flags (id),
    at          TEXT NOT NULL,
    action      TEXT NOT NULL,     -- raised, level-changed, reviewed, lowered
    level       TEXT,
    source      TEXT NOT NULL,     -- what did it: an assessment's ref, or "review"
    reason      TEXT NOT NULL DEFAULT '',
    by_whom     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX risk_flag_events_by_flag ON risk_flag_events (flag_id, at);

-- One administration of a screener. Answers are kept exactly as given (JSON); the result is
-- scored by the engine at save time and kept with the instrument version that scored it.
CREATE TABLE screenings (
    id                  INTEGER PRIMARY KEY,
    client_id           INTEGER NOT NULL REFERENCES clients (id),
    episode_id          INTEGER REFERENCES episodes (id),
    instrument_id       TEXT NOT NULL,
    instrument_version  INTEGER NOT NULL,
    administered_on     TEXT NOT NULL,       -- a day
    answers             TEXT NOT NULL,       -- JSON [[item id, answer], ...]
    total               INTEGER,             -- NULL when incomplete or per-domain
    band                TEXT,
    complete            INTEGER NOT NULL,
    positive            INTEGER,
    result              TEXT NOT NULL,       -- JSON ScoreResult
    note                TEXT NOT NULL DEFAULT '',
    error_at            TEXT,
    error_reason        TEXT,
    created_at          TEXT NOT NULL
);
CREATE INDEX screenings_by_client ON screenings (client_id, instrument_id, administered_on);
CREATE INDEX screenings_latest ON screenings (instrument_id, client_id, administered_on) WHERE error_at IS NULL;

-- Safety alerts raised by a result (PHQ-9 item 9): open until acknowledged with a note.
CREATE TABLE alerts (
    id               INTEGER PRIMARY KEY,
    client_id        INTEGER NOT NULL REFERENCES clients (id),
    screening_id     INTEGER NOT NULL REFERENCES screenings (id),
    flag             TEXT NOT NULL,
    message          TEXT NOT NULL,
    raised_at        TEXT NOT NULL,
    acknowledged_at  TEXT,
    ack_note         TEXT,
    ack_by           TEXT
);
CREATE INDEX alerts_by_client ON alerts (client_id, acknowledged_at);
CREATE INDEX alerts_open ON alerts (raised_at, client_id) WHERE acknowledged_at IS NULL;

-- Assessments are searchable with notes (rowid = id * 16 + 3).
CREATE TRIGGER assessments_ai AFTER INSERT ON assessments BEGIN
    INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at)
    VALUES (new.id * 16 + 3,
            new.needs_narrative || ' ' || new.strengths || ' ' || new.barriers || ' ' || new.family_history
            || ' ' || new.medical_history || ' ' || new.medications || ' ' || new.providers || ' '
            || new.socioeconomic || ' ' || new.cultural || ' ' || new.living_situation || ' '
            || new.risk_self_plan || ' ' || new.risk_from_others_plan || ' ' || new.risk_to_others_plan
            || ' ' || new.safeguarding_plan,
            'assessment', new.id, new.client_id, new.assessed_on);
END;
CREATE TRIGGER assessments_au AFTER UPDATE ON assessments BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 16 + 3;
    INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at)
    VALUES (new.id * 16 + 3,
            new.needs_narrative || ' ' || new.strengths || ' ' || new.barriers || ' ' || new.family_history
            || ' ' || new.medical_history || ' ' || new.medications || ' ' || new.providers || ' '
            || new.socioeconomic || ' ' || new.cultural || ' ' || new.living_situation || ' '
            || new.risk_self_plan || ' ' || new.risk_from_others_plan || ' ' || new.risk_to_others_plan
            || ' ' || new.safeguarding_plan,
            'assessment', new.id, new.client_id, new.assessed_on);
END;
-- Needs are short items: indexed on their own so a search finds the need, too (id * 16 + 4).
CREATE TRIGGER needs_ai AFTER INSERT ON assessment_needs BEGIN
    INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at)
    SELECT new.id * 16 + 4, new.life_domain || ': ' || new.text, 'need', new.assessment_id,
           a.client_id, a.assessed_on FROM assessments a WHERE a.id = new.assessment_id;
END;
CREATE TRIGGER needs_ad AFTER DELETE ON assessment_needs BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 16 + 4;
END;
