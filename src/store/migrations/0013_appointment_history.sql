-- caseload schema v13: a referral's history keeps what happened to its appointments as well as
-- its moves through the closed loop. A row about an appointment (arranged, changed, removed)
-- has kind 'appointment'; its from/to status are the referral's status at the time, unchanged.

ALTER TABLE referral_events ADD COLUMN kind TEXT NOT NULL DEFAULT 'status';
