-- Issue 15: a lead at the site hub overrode an item this bench graded. When the disposition changed, the
-- label on the box is wrong: the item waits in the bench's relabel list until its new label is printed.
ALTER TABLE items ADD COLUMN relabel_since TEXT;
CREATE INDEX items_relabel ON items (relabel_since) WHERE relabel_since IS NOT NULL;
