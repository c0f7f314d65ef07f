-- caseload schema v11: Today's consent and rescreening rules read only the records of open
-- cases through their indexes. A career leaves many closed files behind whose consents expire
-- and whose screeners grow old; scanning past them made Today slower every year. Each row
-- carries whether its client's case is open, kept by triggers from clients.status.

ALTER TABLE consents ADD COLUMN case_open INTEGER NOT NULL DEFAULT 1;
UPDATE consents SET case_open = coalesce((SELECT c.status = 'open' FROM clients c WHERE c.id = consents.client_id), 1);
DROP INDEX consents_expiring;
CREATE INDEX consents_expiring ON consents (expires_on, client_id)
    WHERE expires_on IS NOT NULL AND revoked_on IS NULL AND lapsed_on IS NULL AND case_open = 1;

ALTER TABLE screening_latest ADD COLUMN case_open INTEGER NOT NULL DEFAULT 1;
UPDATE screening_latest SET case_open =
    coalesce((SELECT c.status = 'open' FROM clients c WHERE c.id = screening_latest.client_id), 1);
DROP INDEX screening_latest_by_day;
CREATE INDEX screening_latest_by_day ON screening_latest (instrument_id, last_on) WHERE case_open = 1;

CREATE TRIGGER clients_case_open_au AFTER UPDATE OF status ON clients BEGIN
    UPDATE consents SET case_open = (new.status = 'open') WHERE client_id = new.id;
    UPDATE screening_latest SET case_open = (new.status = 'open') WHERE client_id = new.id;
END;

-- a record written for (or imported into) a closed case says so from the start
CREATE TRIGGER consents_case_open_ai AFTER INSERT ON consents BEGIN
    UPDATE consents SET case_open = coalesce((SELECT c.status = 'open' FROM clients c WHERE c.id = new.client_id), 1)
    WHERE id = new.id;
END;
CREATE TRIGGER screening_latest_case_open_ai AFTER INSERT ON screening_latest BEGIN
    UPDATE screening_latest
    SET case_open = coalesce((SELECT c.status = 'open' FROM clients c WHERE c.id = new.client_id), 1)
    WHERE client_id = new.client_id AND instrument_id = new.instrument_id;
END;
