-- Reference data pulled from the WMS by cursor.
CREATE TABLE products (
  sku           TEXT PRIMARY KEY,
  gtin          TEXT NOT NULL,
  name          TEXT NOT NULL,
  name_ja       TEXT NOT NULL,
  category      TEXT NOT NULL CHECK (category IN ('apparel','shoes','cosmetics','electronics')),
  price_jpy     INTEGER NOT NULL,
  weight_grams  INTEGER NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX products_gtin ON products (gtin);

CREATE TABLE rmas (
  rma_number       TEXT PRIMARY KEY,
  order_number     TEXT NOT NULL,
  customer_name    TEXT NOT NULL,
  customer_kana    TEXT NOT NULL,
  customer_phone   TEXT NOT NULL,
  carrier          TEXT NOT NULL,
  tracking_number  TEXT NOT NULL,
  status           TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
CREATE INDEX rmas_tracking ON rmas (tracking_number);
CREATE INDEX rmas_order ON rmas (order_number);

CREATE TABLE rma_lines (
  id           TEXT PRIMARY KEY,
  rma_number   TEXT NOT NULL REFERENCES rmas (rma_number) ON DELETE CASCADE,
  line_no      INTEGER NOT NULL,
  sku          TEXT NOT NULL,
  qty          INTEGER NOT NULL CHECK (qty > 0),
  reason       TEXT NOT NULL,
  reason_text  TEXT NOT NULL
);
CREATE INDEX rma_lines_rma ON rma_lines (rma_number);
CREATE INDEX rma_lines_sku ON rma_lines (sku);

-- Work done at the bench.
CREATE TABLE operators (
  id            TEXT PRIMARY KEY,
  badge         TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('staff','lead','supervisor')),
  pin_hash      TEXT NOT NULL,
  failed_pins   INTEGER NOT NULL DEFAULT 0,
  locked_until  TEXT
);

CREATE TABLE parcels (
  id            TEXT PRIMARY KEY,
  rma_number    TEXT REFERENCES rmas (rma_number),
  scanned_code  TEXT NOT NULL,
  carrier       TEXT,
  status        TEXT NOT NULL CHECK (status IN ('open','closed')),
  operator_id   TEXT NOT NULL REFERENCES operators (id),
  station_id    TEXT NOT NULL,
  received_at   TEXT NOT NULL,
  closed_at     TEXT
);
CREATE INDEX parcels_rma ON parcels (rma_number);

CREATE TABLE items (
  id                TEXT PRIMARY KEY,
  lpn               TEXT NOT NULL UNIQUE,
  parcel_id         TEXT NOT NULL REFERENCES parcels (id),
  rma_line_id       TEXT REFERENCES rma_lines (id),
  sku               TEXT NOT NULL,
  grade             TEXT NOT NULL,
  disposition       TEXT NOT NULL,
  destination       TEXT NOT NULL,
  rule_id           TEXT NOT NULL,
  rule_set_version  INTEGER NOT NULL,
  operator_id       TEXT NOT NULL REFERENCES operators (id),
  graded_at         TEXT NOT NULL
);
CREATE INDEX items_parcel ON items (parcel_id);
CREATE INDEX items_line ON items (rma_line_id);

-- LPNs are numbered per station from a counter so they never repeat, even after a crash.
CREATE TABLE counters (
  name   TEXT PRIMARY KEY,
  value  INTEGER NOT NULL
);

-- Transactional outbox: written in the same transaction as the state change it reports.
CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  idempotency_key  TEXT NOT NULL UNIQUE,
  aggregate_type   TEXT NOT NULL,
  aggregate_id     TEXT NOT NULL,
  sequence         INTEGER NOT NULL,
  type             TEXT NOT NULL,
  payload          TEXT NOT NULL,
  occurred_at      TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','dead')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT,
  last_error       TEXT,
  delivered_at     TEXT,
  UNIQUE (aggregate_type, aggregate_id, sequence)
);
CREATE INDEX outbox_pending ON outbox (status, id);

-- Pull cursors per resource (products, rmas).
CREATE TABLE sync_cursors (
  resource       TEXT PRIMARY KEY,
  updated_since  TEXT NOT NULL,
  after_id       TEXT NOT NULL
);

-- Append-only, hash-chained.
CREATE TABLE audit_log (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  at           TEXT NOT NULL,
  operator_id  TEXT,
  action       TEXT NOT NULL,
  entity       TEXT NOT NULL,
  before_json  TEXT,
  after_json   TEXT,
  prev_hash    TEXT NOT NULL,
  hash         TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
