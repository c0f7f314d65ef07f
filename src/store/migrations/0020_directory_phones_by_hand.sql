-- A phone number the practitioner added by hand (a local line, a direct number) is kept
-- when a newer export of the directory is imported over the service.
ALTER TABLE directory_phones ADD COLUMN by_hand INTEGER NOT NULL DEFAULT 0;
