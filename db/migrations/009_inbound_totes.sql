-- Consolidated inbound totes (issue 17). The WMS's manifests are reference data (pulled by cursor, replaced
-- whole); what the bench saw and decided lives in its own tables, so a changed manifest never erases a scan.
CREATE TABLE inbound_manifests (
  tote_id      TEXT PRIMARY KEY,
  container    TEXT NOT NULL CHECK (container IN ('tote','cage')),
  origin       TEXT NOT NULL CHECK (origin IN ('store','depot','convenience_store')),
  origin_name  TEXT NOT NULL,
  shipped_at   TEXT,
  updated_at   TEXT NOT NULL
);

-- A bag is in one manifest at a time; the RMA is not a foreign key: a manifest may name an RMA this station
-- does not hold, and the bench says so on the bag's line.
CREATE TABLE manifest_bags (
  bag_code    TEXT PRIMARY KEY,
  tote_id     TEXT NOT NULL REFERENCES inbound_manifests (tote_id) ON DELETE CASCADE,
  line_no     INTEGER NOT NULL,
  rma_number  TEXT NOT NULL
);
CREATE INDEX manifest_bags_tote ON manifest_bags (tote_id, line_no);

-- The tote as this bench works it: opened once (a second scan shows it), closed once with its reconciliation.
CREATE TABLE totes (
  tote_id     TEXT PRIMARY KEY,
  status      TEXT NOT NULL CHECK (status IN ('open','closed')),
  opened_by   TEXT NOT NULL,
  opened_at   TEXT NOT NULL,
  closed_by   TEXT,
  closed_at   TEXT,
  station_id  TEXT NOT NULL
);

-- Each bag received at this bench, once, whichever tote it was found in. manifest_tote_id is what the manifest
-- said when it was scanned (NULL: no manifest named it), so a later manifest change cannot rewrite history.
CREATE TABLE tote_bag_scans (
  bag_code          TEXT PRIMARY KEY,
  tote_id           TEXT NOT NULL REFERENCES totes (tote_id),
  manifest_tote_id  TEXT,
  rma_number        TEXT,
  parcel_id         TEXT,
  operator_id       TEXT NOT NULL,
  scanned_at        TEXT NOT NULL
);
CREATE INDEX tote_bag_scans_tote ON tote_bag_scans (tote_id);
CREATE INDEX tote_bag_scans_manifest ON tote_bag_scans (manifest_tote_id);

-- What closing a tote found, for a lead: one row per (tote, flag, bag), never raised twice.
CREATE TABLE tote_flags (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  tote_id         TEXT NOT NULL REFERENCES totes (tote_id),
  code            TEXT NOT NULL CHECK (code IN ('tote_bag_missing','tote_bag_stray','tote_bag_unmanifested')),
  bag_code        TEXT NOT NULL,
  rma_number      TEXT,
  other_tote_id   TEXT,
  station_id      TEXT NOT NULL,
  raised_at       TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','acknowledged')),
  reviewed_by     TEXT,
  reviewed_at     TEXT,
  UNIQUE (tote_id, code, bag_code)
);
CREATE INDEX tote_flags_status ON tote_flags (status, raised_at);
