-- Dead letters a lead skipped (with a reason) stay as 'dead' rows for the record; skipped_at marks them
-- so delivery stops waiting for them and the WMS is told which sequence an aggregate's next event follows.
ALTER TABLE outbox ADD COLUMN dead_at TEXT;
ALTER TABLE outbox ADD COLUMN skipped_at TEXT;
ALTER TABLE outbox ADD COLUMN skip_reason TEXT;
CREATE INDEX outbox_dead ON outbox (status, skipped_at) WHERE status = 'dead';

-- An RMA the WMS changed or cancelled while a parcel for it is open at the bench: the local copy is
-- kept as the operator sees it and the WMS version waits here for a lead to decide.
CREATE TABLE rma_sync_conflicts (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  rma_number   TEXT NOT NULL REFERENCES rmas (rma_number),
  parcel_id    TEXT NOT NULL REFERENCES parcels (id),
  kind         TEXT NOT NULL CHECK (kind IN ('changed','cancelled')),
  incoming     TEXT NOT NULL,
  detected_at  TEXT NOT NULL,
  resolved_at  TEXT,
  resolution   TEXT CHECK (resolution IN ('applied','kept_local'))
);
CREATE INDEX rma_sync_conflicts_open ON rma_sync_conflicts (rma_number) WHERE resolved_at IS NULL;
