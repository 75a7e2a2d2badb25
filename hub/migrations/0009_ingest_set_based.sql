-- Issue 14 (speed): the hub's ingest writes a batch of up to 1,000 events in one statement. Two things on
-- `events` ran once per row of such a statement and were the largest part of its cost:
--
-- 1. The site review queue's trigger (0004) becomes one statement-level trigger over the statement's new
--    rows (a transition table): one set-based INSERT and one UPDATE per batch instead of a PL/pgSQL call
--    per event. Same rules as before: an item graded and held for review enters the queue once (the first
--    event wins), and a decision taken at a bench (not at the hub: its aggregate ends in /site) marks the
--    pending item decided; of several decisions on one item in one batch the first wins, as it did when
--    rows were handled one by one.
-- 2. The foreign key from relay_outbox to events ran a lookup and a row lock on `events` per relay row.
--    Both rows are only ever written together, in one statement of one transaction (hub/ingest.ts; the
--    hub's review decisions in hub/review.ts), and events are never deleted, so the key guarded nothing
--    the writers do not already guarantee; hub.test.ts checks that every accepted event has its relay row.

DROP TRIGGER site_review_from_event ON events;
DROP FUNCTION site_review_from_event();

CREATE FUNCTION site_review_from_events() RETURNS trigger AS $$
BEGIN
  INSERT INTO site_review_items (site_id, item_id, station_id, lpn, parcel_id, rma_number, sku, kind, grade, disposition, destination,
                                 rule_id, rule_set_version, flags, photos, operator_id, graded_at, graded_event)
  SELECT n.site_id, n.payload->>'itemId', n.station_id, n.payload->>'lpn', n.payload->>'parcelId', n.payload->>'rmaNumber',
         n.payload->>'sku', COALESCE(n.payload->>'kind', 'expected'), n.payload->>'grade', n.payload->>'disposition',
         n.payload->>'destination', n.payload->>'ruleId', (n.payload->>'ruleSetVersion')::integer,
         COALESCE(n.payload->'flags', '[]'::jsonb), COALESCE(n.payload->'photos', '[]'::jsonb), n.payload->>'operatorId', n.payload->>'gradedAt', n.idempotency_key
  FROM (SELECT e.*, row_number() OVER () AS ord FROM new_events e) n
  WHERE n.type = 'item.graded' AND COALESCE((n.payload->>'heldForReview')::boolean, false)
  -- The transition table is read in insertion order: the first grading of an item in the batch is kept.
  ORDER BY n.ord
  ON CONFLICT DO NOTHING;

  UPDATE site_review_items s
     SET status = CASE d.type WHEN 'item.approved' THEN 'approved' ELSE 'overridden' END,
         decided_by = d.payload->>'operatorId', decided_at = d.payload->>'reviewedAt', decided_where = d.station_id,
         reason = d.payload->>'reason',
         grade = COALESCE(d.payload->'after'->>'grade', s.grade),
         disposition = COALESCE(d.payload->'after'->>'disposition', s.disposition),
         destination = COALESCE(d.payload->'after'->>'destination', s.destination)
    FROM (SELECT DISTINCT ON (n.site_id, n.payload->>'itemId') n.site_id, n.payload->>'itemId' AS item_id, n.type, n.payload, n.station_id
          FROM (SELECT e.*, row_number() OVER () AS ord FROM new_events e) n
          WHERE n.type IN ('item.approved', 'item.overridden') AND n.aggregate_id NOT LIKE '%/site'
          ORDER BY n.site_id, n.payload->>'itemId', n.ord) d
   WHERE s.site_id = d.site_id AND s.item_id = d.item_id AND s.status = 'pending';
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER site_review_from_events AFTER INSERT ON events REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION site_review_from_events();

ALTER TABLE relay_outbox DROP CONSTRAINT relay_outbox_site_id_idempotency_key_fkey;
