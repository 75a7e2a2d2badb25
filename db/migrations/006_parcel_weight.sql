-- The parcel's weight from the bench scale when it was opened (issue 3). NULL: no scale, or no
-- stable reading in time. Compared with the expected weight for the empty_box flag.
ALTER TABLE parcels ADD COLUMN weight_grams INTEGER CHECK (weight_grams IS NULL OR weight_grams >= 0);
ALTER TABLE parcels ADD COLUMN weighed_at TEXT;
