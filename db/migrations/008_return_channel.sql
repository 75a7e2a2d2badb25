-- How the return came back and what the customer declared in the returns portal (issue 17).
-- Rows from before this migration came by carrier pickup, the only channel the WMS offered then.
ALTER TABLE rmas ADD COLUMN return_channel TEXT NOT NULL DEFAULT 'home_pickup'
  CHECK (return_channel IN ('home_pickup','store_dropoff','depot_locker','in_store'));
-- NULL condition: the customer declared nothing (older WMS, or no portal for this shop).
ALTER TABLE rmas ADD COLUMN declared_condition TEXT
  CHECK (declared_condition IS NULL OR declared_condition IN ('unused_with_tags','opened','used','damaged'));
ALTER TABLE rmas ADD COLUMN declared_complete INTEGER CHECK (declared_complete IS NULL OR declared_complete IN (0, 1));
ALTER TABLE rmas ADD COLUMN declared_text TEXT;
-- JSON array of sha256 hashes; the images themselves are fetched into customer_photos.
ALTER TABLE rmas ADD COLUMN declared_photos_json TEXT;

-- A customer's photo as the bench fetched it. One row per (RMA, hash): the status is what the grader
-- and the lead see when it is not there (failed download, not an image), so grading never waits on it.
CREATE TABLE customer_photos (
  rma_number  TEXT NOT NULL REFERENCES rmas (rma_number) ON DELETE CASCADE,
  sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
  status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','stored','failed','not_image')),
  mime        TEXT CHECK (mime IS NULL OR mime IN ('image/jpeg','image/png')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (rma_number, sha256)
);
CREATE INDEX customer_photos_pending ON customer_photos (status) WHERE status IN ('pending','failed');
