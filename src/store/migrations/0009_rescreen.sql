-- caseload schema v9: the latest PHQ-9 / GAD-7 (or any screener) of each client, kept by
-- triggers, so Today finds who is due for rescreening through an index on the date instead of
-- grouping every screening ever given.

CREATE TABLE screening_latest (
    client_id      INTEGER NOT NULL REFERENCES clients (id),
    instrument_id  TEXT NOT NULL,
    last_on        TEXT NOT NULL,
    PRIMARY KEY (client_id, instrument_id)
) WITHOUT ROWID;
CREATE INDEX screening_latest_by_day ON screening_latest (instrument_id, last_on);

INSERT INTO screening_latest (client_id, instrument_id, last_on)
SELECT client_id, instrument_id, max(administered_on) FROM screenings WHERE error_at IS NULL
GROUP BY client_id, instrument_id;

CREATE TRIGGER screening_latest_ai AFTER INSERT ON screenings WHEN new.error_at IS NULL BEGIN
    INSERT INTO screening_latest (client_id, instrument_id, last_on)
    VALUES (new.client_id, new.instrument_id, new.administered_on)
    ON CONFLICT (client_id, instrument_id) DO UPDATE SET last_on = max(last_on, excluded.last_on);
END;

-- entered in error (or moved): recompute from what is left
CREATE TRIGGER screening_latest_au AFTER UPDATE OF error_at, client_id, administered_on ON screenings BEGIN
    DELETE FROM screening_latest WHERE client_id = old.client_id AND instrument_id = old.instrument_id;
    INSERT INTO screening_latest (client_id, instrument_id, last_on)
    SELECT client_id, instrument_id, max(administered_on) FROM screenings
    WHERE client_id = old.client_id AND instrument_id = old.instrument_id AND error_at IS NULL
    GROUP BY client_id, instrument_id;
    INSERT INTO screening_latest (client_id, instrument_id, last_on)
    SELECT client_id, instrument_id, max(administered_on) FROM screenings
    WHERE client_id = new.client_id AND instrument_id = new.instrument_id AND error_at IS NULL
      AND (new.client_id != old.client_id OR new.instrument_id != old.instrument_id)
    GROUP BY client_id, instrument_id
    ON CONFLICT (client_id, instrument_id) DO UPDATE SET last_on = excluded.last_on;
END;
