-- caseload schema v8: closing a case and what outlives it. Each closure of an episode with its
-- reason, dates, post-closure follow-up and the signed closing summary; what was done at
-- closure with each item still open (so a same-day undo can put it back); the minimal record
-- left when a file is destroyed after its retention date.

-- One row per closure of an episode. A closure undone the same day keeps its row (undone_at
-- set) and the episode is open again; at most one closure of an episode is in force.
CREATE TABLE closures (
    id                 INTEGER PRIMARY KEY,
    client_id          INTEGER NOT NULL REFERENCES clients (id),
    episode_id         INTEGER NOT NULL REFERENCES episodes (id),
    reason             TEXT NOT NULL CHECK (reason IN ('goals-met', 'client-withdrew', 'moved-away',
                           'transferred', 'no-contact', 'died', 'other')),
    reason_note        TEXT NOT NULL DEFAULT '',
    closed_on          TEXT NOT NULL,                  -- a day
    follow_up_on       TEXT,                           -- a day: the post-closure check
    follow_up_plan     TEXT NOT NULL DEFAULT '',
    follow_up_done_on  TEXT,
    summary            TEXT NOT NULL DEFAULT '',
    signed_by          TEXT,
    signed_at          TEXT,
    recorded_at        TEXT NOT NULL,                  -- UTC; the same-day undo counts from it
    undone_at          TEXT,
    undone_reason      TEXT NOT NULL DEFAULT '',
    undone_by          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX closures_by_client ON closures (client_id, episode_id);
CREATE UNIQUE INDEX closures_in_force ON closures (episode_id) WHERE undone_at IS NULL;
-- Today: post-closure follow-ups not yet done.
CREATE INDEX closures_follow_up ON closures (follow_up_on, client_id, follow_up_done_on, undone_at)
    WHERE follow_up_on IS NOT NULL AND follow_up_done_on IS NULL AND undone_at IS NULL;
-- Today and the retention list: closures in force by closing day.
CREATE INDEX closures_retention ON closures (closed_on, client_id, episode_id, undone_at)
    WHERE undone_at IS NULL;

-- What closing did with each item that was still open: completed, cancelled (with the reason)
-- or left open. `previous` is the item's state before, so a same-day undo can restore it.
CREATE TABLE closure_items (
    id           INTEGER PRIMARY KEY,
    closure_id   INTEGER NOT NULL REFERENCES closures (id),
    record_kind  TEXT NOT NULL,          -- goal, action-item, advocacy, alert, note (referral)
    record_id    INTEGER NOT NULL,
    label        TEXT NOT NULL,          -- the item as it was listed at closure
    action       TEXT NOT NULL CHECK (action IN ('complete', 'cancel', 'leave')),
    reason       TEXT NOT NULL DEFAULT '',
    previous     TEXT NOT NULL DEFAULT '',
    undone       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX closure_items_by_closure ON closure_items (closure_id);

-- All that is left of a destroyed file: that it existed, and when and on what basis it was
-- destroyed. No name or any other client data. The number is never given to another client.
CREATE TABLE destroyed_clients (
    client_id        INTEGER PRIMARY KEY,
    reference        TEXT NOT NULL,
    closed_on        TEXT NOT NULL,        -- the closure the retention period ran from
    retention_years  INTEGER NOT NULL,
    retain_until     TEXT NOT NULL,
    destroyed_at     TEXT NOT NULL,
    destroyed_by     TEXT NOT NULL DEFAULT ''
);

-- Mandated reports are never deleted, except with the whole file when it is destroyed: the
-- destruction marks the client here inside its transaction (and empties it before commit).
CREATE TABLE destroying (
    client_id  INTEGER PRIMARY KEY
);
DROP TRIGGER mandated_reports_kept;
CREATE TRIGGER mandated_reports_kept BEFORE DELETE ON mandated_reports
WHEN NOT EXISTS (SELECT 1 FROM destroying WHERE client_id = old.client_id) BEGIN
    SELECT RAISE(ABORT, 'mandated reports cannot be deleted');
END;

-- Closing summaries are searchable with everything else (rowid = id * 16 + 14).
CREATE TRIGGER closures_ai AFTER INSERT ON closures BEGIN
    INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at)
    VALUES (new.id * 16 + 14, new.summary || ' ' || new.reason_note || ' ' || new.follow_up_plan,
            'closure', new.id, new.client_id, new.closed_on);
END;
CREATE TRIGGER closures_au AFTER UPDATE OF summary, reason_note, follow_up_plan ON closures BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 16 + 14;
    INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at)
    VALUES (new.id * 16 + 14, new.summary || ' ' || new.reason_note || ' ' || new.follow_up_plan,
            'closure', new.id, new.client_id, new.closed_on);
END;

-- Episodes closed before this version (the demo closed some) get their closure row, unsigned.
INSERT INTO closures (client_id, episode_id, reason, reason_note, closed_on, recorded_at)
SELECT client_id, id,
       CASE lower(trim(coalesce(closed_reason, '')))
           WHEN 'goals met' THEN 'goals-met'
           WHEN 'moved away' THEN 'moved-away'
           WHEN 'client withdrew' THEN 'client-withdrew'
           ELSE 'other' END,
       CASE WHEN lower(trim(coalesce(closed_reason, ''))) IN ('goals met', 'moved away', 'client withdrew')
           THEN '' ELSE coalesce(closed_reason, '') END,
       closed_on, closed_on || 'T12:00:00Z'
FROM episodes WHERE closed_on IS NOT NULL;
