-- caseload schema v18: Today's diary reads the day's referral appointments in time order
-- (issue 19 point 6), through an index on the moment.

CREATE INDEX appointments_by_at ON appointments (at);
