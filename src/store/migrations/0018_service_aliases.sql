-- caseload schema v18: the ids of duplicate services an import merged into one. A directory
-- file that lists the same service twice (identical but for the id, or the same name under the
-- same organisation) is imported as one service; the other rows' ids are kept here, so the next
-- import of the file finds the service under any of them.

CREATE TABLE service_aliases (
    source_id   TEXT PRIMARY KEY,
    service_id  INTEGER NOT NULL REFERENCES services (id)
) WITHOUT ROWID;
CREATE INDEX service_aliases_by_service ON service_aliases (service_id);
