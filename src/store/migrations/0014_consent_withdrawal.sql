-- caseload schema v14: a consent's withdrawal follows the information. What relied on the
-- consent when the client withdrew it (an open referral sent under it, a live case conference
-- the recipient attended, the recipient recorded as a contact) is kept, one row each, and
-- stays on Today until the practitioner has told them (done_on).
CREATE TABLE consent_reliances (
    id           INTEGER PRIMARY KEY,
    client_id    INTEGER NOT NULL REFERENCES clients (id),
    consent_id   INTEGER NOT NULL REFERENCES consents (id),
    record_kind  TEXT NOT NULL,          -- referral, conference, person
    record_id    INTEGER NOT NULL,
    what         TEXT NOT NULL,          -- the line Today shows, written at the withdrawal
    due_on       TEXT NOT NULL,          -- the day the consent was withdrawn
    done_on      TEXT,                   -- the day the practitioner marked them told
    created_at   TEXT NOT NULL
);
CREATE INDEX consent_reliances_by_consent ON consent_reliances (consent_id);
-- Today reads only those not yet dealt with, oldest first.
CREATE INDEX consent_reliances_open ON consent_reliances (due_on, client_id) WHERE done_on IS NULL;
