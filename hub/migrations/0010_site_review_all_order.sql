-- Issue 15: the site review queue's "all" view (no status filter) in its default order, oldest first: without this
-- index every page sorted the whole queue (1.2 s at 1M items).
CREATE INDEX site_review_all ON site_review_items (site_id, graded_at, item_id);
