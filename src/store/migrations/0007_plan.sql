-- caseload schema v7: the case plan. SMART goals with their measure, steps, progress entries
-- and a history of every status and achievement change; plan reviews; evaluations with a
-- per-goal outcome, the client's feedback and the screener change over the episode.

CREATE TABLE goals (
    id               INTEGER PRIMARY KEY,
    client_id        INTEGER NOT NULL REFERENCES clients (id),
    episode_id       INTEGER REFERENCES episodes (id),
    statement        TEXT NOT NULL,                 -- in the client's words
    measure_kind     TEXT NOT NULL CHECK (measure_kind IN ('numeric', 'milestone')),
    measure_what     TEXT NOT NULL DEFAULT '',      -- what is counted
    measure_unit     TEXT NOT NULL DEFAULT '',
    baseline         REAL,                          -- NULL for a milestone
    target           REAL,
    -- where progress values come from: typed in, or a screener's totals (instrument_id)
    measure_source   TEXT NOT NULL DEFAULT 'manual' CHECK (measure_source IN ('manual', 'screener')),
    instrument_id    TEXT,
    who_agreed       TEXT NOT NULL DEFAULT '',
    why_it_matters   TEXT NOT NULL DEFAULT '',
    start_on         TEXT NOT NULL,                 -- a day
    target_on        TEXT NOT NULL,                 -- a day
    term             TEXT NOT NULL CHECK (term IN ('short', 'long')),
    term_overridden  INTEGER NOT NULL DEFAULT 0,    -- chosen by the practitioner, not derived
    priority         TEXT NOT NULL DEFAULT 'medium',
    life_domain      TEXT NOT NULL DEFAULT '',
    need_text        TEXT NOT NULL DEFAULT '',      -- the assessed need it answers
    need_source      TEXT NOT NULL DEFAULT '',      -- an assessment's or screening's ref
    status           TEXT NOT NULL DEFAULT 'proposed'
                     CHECK (status IN ('proposed', 'active', 'on-hold', 'completed', 'cancelled', 'entered-in-error')),
    achievement      TEXT NOT NULL DEFAULT 'in-progress',
    outcome          TEXT,                          -- from the latest evaluation
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX goals_by_client ON goals (client_id, status);
-- Today: open goals past their target date.
CREATE INDEX goals_open_by_target ON goals (target_on, client_id, status)
    WHERE status IN ('proposed', 'active', 'on-hold');
-- A new screening finds the open goals measured by that screener.
CREATE INDEX goals_by_screener ON goals (client_id, instrument_id)
    WHERE measure_source = 'screener' AND status IN ('proposed', 'active', 'on-hold');

-- Every change of status or achievement (and the goal's creation), with date, reason and who.
CREATE TABLE goal_changes (
    id          INTEGER PRIMARY KEY,
    goal_id     INTEGER NOT NULL REFERENCES goals (id),
    on_day      TEXT NOT NULL,                      -- the day it took effect
    recorded_at TEXT NOT NULL,
    what        TEXT NOT NULL CHECK (what IN ('created', 'status', 'achievement', 'edited')),
    from_value  TEXT,
    to_value    TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    by_whom     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX goal_changes_by_goal ON goal_changes (goal_id, recorded_at);

CREATE TABLE goal_steps (
    id          INTEGER PRIMARY KEY,
    goal_id     INTEGER NOT NULL REFERENCES goals (id),
    client_id   INTEGER NOT NULL REFERENCES clients (id),   -- for Today without a join
    position    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    owner_kind  TEXT CHECK (owner_kind IN ('client', 'practitioner', 'family-member', 'provider')),
    owner_name  TEXT NOT NULL DEFAULT '',
    due_on      TEXT,                               -- a day
    done_on     TEXT,                               -- a day
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX goal_steps_by_goal ON goal_steps (goal_id, position);
-- Today: steps not done that have a due date.
CREATE INDEX goal_steps_open_due ON goal_steps (due_on, client_id, goal_id, done_on)
    WHERE done_on IS NULL AND due_on IS NOT NULL;

CREATE TABLE goal_progress (
    id            INTEGER PRIMARY KEY,
    goal_id       INTEGER NOT NULL REFERENCES goals (id),
    on_day        TEXT NOT NULL,                    -- a day
    value         REAL NOT NULL,                    -- a milestone: 1 reached, 0 not yet
    note          TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'screening')),
    screening_id  INTEGER REFERENCES screenings (id),
    recorded_at   TEXT NOT NULL
);
CREATE INDEX goal_progress_by_goal ON goal_progress (goal_id, on_day);
CREATE UNIQUE INDEX goal_progress_from_screening ON goal_progress (screening_id, goal_id)
    WHERE screening_id IS NOT NULL;

-- The plan's reviews: the open row (held_on NULL) is the next review due.
CREATE TABLE plan_reviews (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL REFERENCES clients (id),
    episode_id  INTEGER REFERENCES episodes (id),
    due_on      TEXT NOT NULL,                      -- a day
    held_on     TEXT,                               -- a day
    summary     TEXT NOT NULL DEFAULT '',
    by_whom     TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX plan_reviews_by_client ON plan_reviews (client_id, due_on);
CREATE UNIQUE INDEX plan_reviews_next ON plan_reviews (client_id) WHERE held_on IS NULL;
-- Today: reviews not yet held, by due date.
CREATE INDEX plan_reviews_due ON plan_reviews (due_on, client_id, held_on) WHERE held_on IS NULL;

CREATE TABLE evaluations (
    id                INTEGER PRIMARY KEY,
    client_id         INTEGER NOT NULL REFERENCES clients (id),
    episode_id        INTEGER REFERENCES episodes (id),
    evaluated_on      TEXT NOT NULL,                -- a day
    occasion          TEXT NOT NULL CHECK (occasion IN ('review', 'closure')),
    satisfaction      INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
    feedback          TEXT NOT NULL DEFAULT '',     -- the client's words
    helped            TEXT NOT NULL DEFAULT '',     -- services that helped, or didn't
    screener_changes  TEXT NOT NULL DEFAULT '[]',   -- JSON snapshot at the time of evaluation
    by_whom           TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL
);
CREATE INDEX evaluations_by_client ON evaluations (client_id, evaluated_on);

CREATE TABLE evaluation_outcomes (
    evaluation_id  INTEGER NOT NULL REFERENCES evaluations (id),
    goal_id        INTEGER NOT NULL REFERENCES goals (id),
    outcome        TEXT NOT NULL CHECK (outcome IN ('achieved', 'partly', 'not-achieved')),
    PRIMARY KEY (evaluation_id, goal_id)
) WITHOUT ROWID;
CREATE INDEX evaluation_outcomes_by_goal ON evaluation_outcomes (goal_id);
