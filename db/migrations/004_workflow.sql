-- The full returns workflow (issue 5): item identity and grading detail, blind returns, parcel outcomes,
-- photos, rule sets in the database, containers at the bench, the lead review queue and held resolutions.

-- What was scanned and answered for an item, kept beside the grade so a lead can see why.
ALTER TABLE items ADD COLUMN kind TEXT NOT NULL DEFAULT 'expected' CHECK (kind IN ('expected','extra','wrong'));
ALTER TABLE items ADD COLUMN expected_sku TEXT;
ALTER TABLE items ADD COLUMN gtin TEXT;
ALTER TABLE items ADD COLUMN serial TEXT;
ALTER TABLE items ADD COLUMN lot TEXT;
ALTER TABLE items ADD COLUMN expiry TEXT;
ALTER TABLE items ADD COLUMN epc TEXT;
ALTER TABLE items ADD COLUMN condition TEXT;
ALTER TABLE items ADD COLUMN packaging TEXT;
ALTER TABLE items ADD COLUMN fault TEXT;
ALTER TABLE items ADD COLUMN profile_id TEXT;
ALTER TABLE items ADD COLUMN profile_version INTEGER;
ALTER TABLE items ADD COLUMN answers_json TEXT;
ALTER TABLE items ADD COLUMN flags_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE items ADD COLUMN explanation TEXT;
-- none: nothing to review; pending: flagged, waiting for a lead; approved / overridden: a lead decided.
ALTER TABLE items ADD COLUMN review_status TEXT NOT NULL DEFAULT 'none' CHECK (review_status IN ('none','pending','approved','overridden'));
ALTER TABLE items ADD COLUMN reviewed_by TEXT REFERENCES operators (id);
ALTER TABLE items ADD COLUMN reviewed_at TEXT;
ALTER TABLE items ADD COLUMN review_reason TEXT;
ALTER TABLE items ADD COLUMN container_id TEXT REFERENCES containers (id);
CREATE INDEX items_review ON items (review_status, graded_at) WHERE review_status = 'pending';
CREATE INDEX items_serial ON items (serial) WHERE serial IS NOT NULL;
CREATE INDEX items_epc ON items (epc) WHERE epc IS NOT NULL;
CREATE INDEX items_graded_at ON items (graded_at);

-- Blind returns: a parcel received with no RMA, routed to a lead, linked to an RMA later.
ALTER TABLE parcels ADD COLUMN blind_return INTEGER NOT NULL DEFAULT 0 CHECK (blind_return IN (0,1));
ALTER TABLE parcels ADD COLUMN known_json TEXT;
ALTER TABLE parcels ADD COLUMN linked_at TEXT;
ALTER TABLE parcels ADD COLUMN linked_by TEXT REFERENCES operators (id);
CREATE INDEX parcels_blind ON parcels (blind_return, status) WHERE blind_return = 1;

-- What closing a parcel found: expected vs received per line.
CREATE TABLE parcel_outcomes (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  parcel_id     TEXT NOT NULL REFERENCES parcels (id),
  kind          TEXT NOT NULL CHECK (kind IN ('extra','wrong','missing','empty_box')),
  rma_line_id   TEXT REFERENCES rma_lines (id),
  expected_sku  TEXT,
  received_sku  TEXT,
  qty           INTEGER NOT NULL CHECK (qty > 0),
  item_id       TEXT REFERENCES items (id)
);
CREATE INDEX parcel_outcomes_parcel ON parcel_outcomes (parcel_id);

-- Photos are stored content-addressed on disk (dataDir/blobs/ab/cdef...); the rows say which item shows them.
CREATE TABLE photos (
  sha256      TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  mime        TEXT NOT NULL CHECK (mime IN ('image/jpeg','image/png')),
  bytes       INTEGER NOT NULL CHECK (bytes > 0),
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL REFERENCES operators (id)
);
CREATE TABLE item_photos (
  item_id      TEXT NOT NULL REFERENCES items (id),
  sha256       TEXT NOT NULL REFERENCES photos (sha256),
  attached_at  TEXT NOT NULL,
  attached_by  TEXT NOT NULL REFERENCES operators (id),
  PRIMARY KEY (item_id, sha256)
);

-- Routing rule sets, versioned: drafts are edited, one published version routes; older ones stay for the record.
CREATE TABLE rule_sets (
  version       INTEGER PRIMARY KEY,
  status        TEXT NOT NULL CHECK (status IN ('draft','published','retired')),
  body_json     TEXT NOT NULL,
  created_by    TEXT REFERENCES operators (id),
  created_at    TEXT NOT NULL,
  published_by  TEXT REFERENCES operators (id),
  published_at  TEXT,
  note          TEXT
);
CREATE UNIQUE INDEX rule_sets_one_published ON rule_sets (status) WHERE status = 'published';

-- Containers per disposition at the bench; an item is sorted into one by scanning its label.
CREATE TABLE containers (
  id           TEXT PRIMARY KEY,
  label        TEXT NOT NULL,
  disposition  TEXT NOT NULL CHECK (disposition IN ('restock','resale','repair','disposal','quarantine')),
  destination  TEXT,
  station_id   TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('open','closed')),
  opened_by    TEXT NOT NULL REFERENCES operators (id),
  opened_at    TEXT NOT NULL,
  closed_by    TEXT REFERENCES operators (id),
  closed_at    TEXT
);
CREATE UNIQUE INDEX containers_open_label ON containers (label) WHERE status = 'open';

-- The station's recommended resolution per item (refund / exchange / store credit / reject); held while
-- the item waits for a lead, then released as its own WMS event.
CREATE TABLE resolutions (
  id            TEXT PRIMARY KEY,
  item_id       TEXT NOT NULL UNIQUE REFERENCES items (id),
  rma_number    TEXT,
  rma_line_id   TEXT,
  body_json     TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('held','released')),
  created_at    TEXT NOT NULL,
  released_at   TEXT
);
CREATE INDEX resolutions_held ON resolutions (status) WHERE status = 'held';
