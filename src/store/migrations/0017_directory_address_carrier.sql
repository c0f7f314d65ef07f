-- caseload schema v14: a directory location made from an address that the file gave to the
-- organisation or the service instead of a location says so, so a service's screen can mark
-- "address of the organisation". '' is a location of the file itself.

ALTER TABLE locations ADD COLUMN carried_by TEXT NOT NULL DEFAULT '';
