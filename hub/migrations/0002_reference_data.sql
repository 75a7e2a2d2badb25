-- The site's copy of the WMS's reference data (RMAs, products), pulled once by cursor and served to the
-- benches with the same cursor API. Ids and timestamps compare byte-wise (COLLATE "C"), as the WMS's
-- cursor does, so a bench's cursor means the same thing here as at the WMS.
CREATE TABLE reference_rows (
  site_id     text NOT NULL,
  resource    text NOT NULL CHECK (resource IN ('products', 'rmas')),
  id          text COLLATE "C" NOT NULL,
  updated_at  text COLLATE "C" NOT NULL,
  body        jsonb NOT NULL,
  PRIMARY KEY (site_id, resource, id)
);
CREATE INDEX reference_rows_cursor ON reference_rows (site_id, resource, updated_at, id);

CREATE TABLE reference_cursors (
  site_id        text NOT NULL,
  resource       text NOT NULL,
  updated_since  text COLLATE "C" NOT NULL,
  after_id       text COLLATE "C" NOT NULL,
  pulled_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, resource)
);
