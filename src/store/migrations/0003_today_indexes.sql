-- caseload schema v3: Today's rules read only their partial indexes. The columns named in
-- each index's WHERE are repeated in the index so that SQLite can answer from the index alone
-- (a covering index), which keeps Today fast at agency scale.

DROP INDEX notes_unsigned;
CREATE INDEX notes_unsigned ON notes (written_at, client_id, signed_at, error_at)
    WHERE signed_at IS NULL AND error_at IS NULL;

DROP INDEX notes_follow_up;
CREATE INDEX notes_follow_up ON notes (follow_up_on, client_id, contact_at, follow_up_done_at, error_at)
    WHERE follow_up_on IS NOT NULL AND follow_up_done_at IS NULL AND error_at IS NULL;

