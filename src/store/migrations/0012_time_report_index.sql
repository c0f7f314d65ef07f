-- caseload schema v12: the time report (minutes per client and contact type over a month) reads
-- a covering index of the notes' contact moments, instead of fetching every note of the month
-- from the table (at agency scale a month holds tens of thousands of notes; cold, that took
-- seconds).

CREATE INDEX notes_time ON notes (contact_at, client_id, contact_type, duration_minutes, error_at)
    WHERE error_at IS NULL;
