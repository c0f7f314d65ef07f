-- caseload schema v2: case notes, addenda, and the full-text index every phase writes to.

CREATE TABLE notes (
    id                 INTEGER PRIMARY KEY,
    client_id          INTEGER NOT NULL REFERENCES clients (id),
    episode_id         INTEGER REFERENCES episodes (id),
    contact_at         TEXT NOT NULL,           -- the contact described (UTC)
    written_at         TEXT NOT NULL,           -- when the note was first saved (UTC)
    updated_at         TEXT NOT NULL,
    contact_type       TEXT NOT NULL,
    participants       TEXT NOT NULL DEFAULT '',
    location           TEXT NOT NULL DEFAULT '',
    duration_minutes   INTEGER,
    follow_up_on       TEXT,                    -- a day
    follow_up_done_at  TEXT,
    template           TEXT NOT NULL DEFAULT 'free',
    body               TEXT NOT NULL,
    signed_at          TEXT,
    signed_by          TEXT,
    error_at           TEXT,                    -- marked entered-in-error
    error_reason       TEXT,
    rewritten_as       INTEGER REFERENCES notes (id),
    moved_from         INTEGER REFERENCES clients (id)
);
CREATE INDEX notes_by_client ON notes (client_id, contact_at);
CREATE INDEX notes_by_contact ON notes (contact_at);
CREATE INDEX notes_unsigned ON notes (written_at) WHERE signed_at IS NULL AND error_at IS NULL;
CREATE INDEX notes_follow_up ON notes (follow_up_on)
    WHERE follow_up_on IS NOT NULL AND follow_up_done_at IS NULL AND error_at IS NULL;

CREATE TABLE addenda (
    id          INTEGER PRIMARY KEY,
    note_id     INTEGER NOT NULL REFERENCES notes (id),
    written_at  TEXT NOT NULL,
    written_by  TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL
);
CREATE INDEX addenda_by_note ON addenda (note_id);

-- One full-text index for everything searchable; each phase adds its own `kind`.
CREATE VIRTUAL TABLE search_index USING fts5 (
    body,
    kind UNINDEXED,
    record_id UNINDEXED,
    client_id UNINDEXED,
    occurred_at UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
    INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at)
    VALUES (new.id * 16 + 1, new.participants || ' ' || new.location || ' ' || new.body, 'note', new.id,
            new.client_id, new.contact_at);
END;
CREATE TRIGGER notes_au AFTER UPDATE OF body, participants, location, client_id, contact_at ON notes BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 16 + 1;
    INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at)
    VALUES (new.id * 16 + 1, new.participants || ' ' || new.location || ' ' || new.body, 'note', new.id,
            new.client_id, new.contact_at);
END;
CREATE TRIGGER addenda_ai AFTER INSERT ON addenda BEGIN
    INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at)
    VALUES (new.id * 16 + 2, new.body, 'addendum', new.note_id,
            (SELECT client_id FROM notes WHERE id = new.note_id), new.written_at);
END;
