-- caseload schema v20: a Today item snoozed to a date with a reason (issue 19 point 7). A
-- snooze names the rule and the record the item is about; Today reads the snoozes still in
-- force (until a day after today) through the index on that day.

CREATE TABLE snoozes (
    id INTEGER PRIMARY KEY,
    client_id INTEGER REFERENCES clients(id),
    rule TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    until_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    by_name TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE INDEX snoozes_until ON snoozes (until_on, rule, record_id);
