-- caseload schema v15: the relation types practice needs on the genogram (issue 17): a
-- partnership is married, living together, separated or divorced (or current / former, not
-- said which), and a person's emotional tie to the client (close, conflict, cut off).
-- SQLite cannot change a CHECK, so the partnerships table is rebuilt with its rows.
CREATE TABLE partnerships_v15 (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL REFERENCES clients (id),
    person_a    INTEGER NOT NULL REFERENCES people (id),
    person_b    INTEGER NOT NULL REFERENCES people (id),
    status      TEXT NOT NULL
                CHECK (status IN ('current', 'married', 'cohabiting', 'former', 'separated', 'divorced')),
    CHECK (person_a < person_b),
    UNIQUE (person_a, person_b)
);
INSERT INTO partnerships_v15 (id, client_id, person_a, person_b, status)
    SELECT id, client_id, person_a, person_b, status FROM partnerships;
DROP TABLE partnerships;
ALTER TABLE partnerships_v15 RENAME TO partnerships;
CREATE INDEX partnerships_by_client ON partnerships (client_id);

ALTER TABLE people ADD COLUMN emotional_tie TEXT
    CHECK (emotional_tie IS NULL OR emotional_tie IN ('close', 'conflict', 'cut-off'));
