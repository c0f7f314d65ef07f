-- caseload schema v14: the client's own sex (or gender) for their genogram symbol, recorded at
-- intake and kept equal to the client's own row of the family tree (issue 17).
ALTER TABLE clients ADD COLUMN sex TEXT NOT NULL DEFAULT 'unknown';

-- what was already set on the client's own row of the family tree is kept
UPDATE clients SET sex = (SELECT p.sex FROM people p WHERE p.client_id = clients.id AND p.is_self = 1)
WHERE EXISTS (SELECT 1 FROM people p WHERE p.client_id = clients.id AND p.is_self = 1);
