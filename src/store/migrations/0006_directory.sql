-- caseload schema v6: the resource directory. Organisations run services; services are delivered
-- at locations (a service may be at several places, a place may host several services). Phones
-- belong to exactly one organisation, service or location. Need categories are taxonomy terms.
-- The directory is not client data, so it has its own full-text index.
--
-- `source_id` is the record's id in the file it was imported from (a re-import updates the
-- same row); `import_fingerprint` is what the file said last time, so an unchanged entry is
-- left alone. The "over a year since verified" flag is derived from `last_verified_on`.

CREATE TABLE organisations (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    email               TEXT NOT NULL DEFAULT '',
    website             TEXT NOT NULL DEFAULT '',
    notes               TEXT NOT NULL DEFAULT '',
    last_verified_on    TEXT,                       -- a day
    -- made by an import for services whose organisation the file did not contain
    placeholder         INTEGER NOT NULL DEFAULT 0,
    source_id           TEXT,
    import_fingerprint  TEXT,
    name_key            TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE UNIQUE INDEX organisations_by_source ON organisations (source_id) WHERE source_id IS NOT NULL;
CREATE INDEX organisations_by_name ON organisations (name_key);

CREATE TABLE services (
    id                  INTEGER PRIMARY KEY,
    organisation_id     INTEGER NOT NULL REFERENCES organisations (id),
    name                TEXT NOT NULL,
    alternate_name      TEXT NOT NULL DEFAULT '',
    description         TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL DEFAULT 'active',
    email               TEXT NOT NULL DEFAULT '',
    website             TEXT NOT NULL DEFAULT '',
    hours               TEXT NOT NULL DEFAULT '',   -- as given when it could not be read
    eligibility         TEXT NOT NULL DEFAULT '',
    fees                TEXT NOT NULL DEFAULT '',
    languages           TEXT NOT NULL DEFAULT '',
    how_to_refer        TEXT NOT NULL DEFAULT '',
    notes               TEXT NOT NULL DEFAULT '',   -- the practitioner's own; imports never touch it
    last_verified_on    TEXT,                       -- a day
    source_id           TEXT,
    import_fingerprint  TEXT,
    name_key            TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE UNIQUE INDEX services_by_source ON services (source_id) WHERE source_id IS NOT NULL;
-- the directory list's order, and re-import matching by name within an organisation
CREATE INDEX services_by_name ON services (name_key, id);
CREATE INDEX services_by_organisation ON services (organisation_id, name_key);

CREATE TABLE locations (
    id                  INTEGER PRIMARY KEY,
    organisation_id     INTEGER REFERENCES organisations (id),
    name                TEXT NOT NULL DEFAULT '',
    description         TEXT NOT NULL DEFAULT '',
    address             TEXT NOT NULL DEFAULT '',   -- street lines, as given
    town                TEXT NOT NULL DEFAULT '',
    region              TEXT NOT NULL DEFAULT '',
    postcode            TEXT NOT NULL DEFAULT '',
    country             TEXT NOT NULL DEFAULT '',
    transport           TEXT NOT NULL DEFAULT '',
    hours               TEXT NOT NULL DEFAULT '',
    source_id           TEXT,
    import_fingerprint  TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE UNIQUE INDEX locations_by_source ON locations (source_id) WHERE source_id IS NOT NULL;
CREATE INDEX locations_by_organisation ON locations (organisation_id);

CREATE TABLE service_locations (
    service_id   INTEGER NOT NULL REFERENCES services (id),
    location_id  INTEGER NOT NULL REFERENCES locations (id),
    PRIMARY KEY (service_id, location_id)
) WITHOUT ROWID;
CREATE INDEX service_locations_by_location ON service_locations (location_id, service_id);

CREATE TABLE directory_phones (
    id               INTEGER PRIMARY KEY,
    organisation_id  INTEGER REFERENCES organisations (id),
    service_id       INTEGER REFERENCES services (id),
    location_id      INTEGER REFERENCES locations (id),
    number           TEXT NOT NULL,                -- as given
    extension        TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL DEFAULT '',
    description      TEXT NOT NULL DEFAULT '',
    languages        TEXT NOT NULL DEFAULT '',
    CHECK ((organisation_id IS NOT NULL) + (service_id IS NOT NULL) + (location_id IS NOT NULL) = 1)
);
CREATE INDEX directory_phones_by_organisation ON directory_phones (organisation_id) WHERE organisation_id IS NOT NULL;
CREATE INDEX directory_phones_by_service ON directory_phones (service_id) WHERE service_id IS NOT NULL;
CREATE INDEX directory_phones_by_location ON directory_phones (location_id) WHERE location_id IS NOT NULL;

CREATE TABLE need_categories (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    name_key  TEXT NOT NULL UNIQUE
);

CREATE TABLE service_categories (
    service_id   INTEGER NOT NULL REFERENCES services (id),
    category_id  INTEGER NOT NULL REFERENCES need_categories (id),
    PRIMARY KEY (service_id, category_id)
) WITHOUT ROWID;
CREATE INDEX service_categories_by_category ON service_categories (category_id, service_id);

-- One row per service (rowid = services.id), rewritten by the store whenever the service, its
-- organisation, categories or places change. Names weigh most, then categories, then the rest.
CREATE VIRTUAL TABLE directory_index USING fts5 (
    name,
    description,
    categories,
    languages,
    places,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO directory_index (directory_index, rank) VALUES ('rank', 'bm25(10.0, 1.0, 6.0, 4.0, 4.0)');
