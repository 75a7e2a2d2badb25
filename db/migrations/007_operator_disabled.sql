-- A supervisor can disable an operator (left the site, lost badge) without deleting the rows that name them.
ALTER TABLE operators ADD COLUMN disabled_at TEXT;
