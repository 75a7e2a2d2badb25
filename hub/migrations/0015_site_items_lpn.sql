-- An LPN scanned at the hub's Review screen (or at a bench for another bench's item) is looked up in site_items
-- (hub/itemLookup.ts). Without an index on the label it read every item of the LPN's bench: 190–454 ms at 1M items
-- over 20 benches, growing with each bench's items.
CREATE INDEX site_items_lpn ON site_items (site_id, lpn);
