-- Issue 14 (speed): what the hub writes per accepted event, cut to what something reads.
--
-- 1. relay_outbox's UNIQUE (site_id, idempotency_key) goes. Nothing looks a relay row up by its key (the relay
--    reads events by theirs), and one relay row per event is kept by its writers: an event and its relay row are
--    only ever inserted together, in one statement (hub/ingest.ts, hub/review.ts), and events' own primary key
--    refuses a second event with the key. It was a random-uuid b-tree written on every accepted event.
-- 2. relay_outbox_aggregate_open indexed every open row, though the relay asks it one question only: "is an
--    earlier event of this aggregate dead or waiting for its backoff?" (hub/relay.ts RELAY_SELECT). Such a row has
--    failed at least once (a new row is pending, attempts 0, due at once), so the index now holds those rows only:
--    an accepted event adds no entry to it, and the relay's question reads the same few rows.
-- 3. The site review queue's and site items' triggers return at once for a batch with no grading or review
--    decision in it (receipts, closings, sortings: most of what benches send); their bodies are unchanged
--    (0009, 0007). The site flags' trigger (0008) is left as it is: receipts take its locks.

ALTER TABLE relay_outbox DROP CONSTRAINT relay_outbox_site_id_idempotency_key_key;

CREATE INDEX relay_outbox_blocking ON relay_outbox (site_id, aggregate_type, aggregate_id, id)
  WHERE state = 'dead' OR (state = 'pending' AND attempts > 0);
DROP INDEX relay_outbox_aggregate_open;

CREATE OR REPLACE FUNCTION site_review_from_events() RETURNS trigger AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_events WHERE type IN ('item.graded', 'item.approved', 'item.overridden')) THEN
    RETURN NULL;
  END IF;
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


CREATE OR REPLACE FUNCTION site_items_from_events() RETURNS trigger AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_events WHERE type IN ('item.graded', 'item.approved', 'item.overridden')) THEN
    RETURN NULL;
  END IF;
  INSERT INTO site_items (site_id, item_id, station_id, operator_id, lpn, parcel_id, rma_number, line_id, sku, kind, grade, disposition, destination,
                          graded_grade, graded_disposition, rule_id, rule_set_version, flags, serial, epc, graded_at, received_at, blind_return,
                          review_status, price_jpy, category, reason, channel, graded_event)
  SELECT n.site_id, n.payload->>'itemId', n.station_id, n.payload->>'operatorId', n.payload->>'lpn', n.payload->>'parcelId', n.payload->>'rmaNumber',
         n.payload->>'lineId', n.payload->>'sku', COALESCE(n.payload->>'kind', 'expected'), n.payload->>'grade', n.payload->>'disposition',
         n.payload->>'destination', n.payload->>'grade', n.payload->>'disposition', n.payload->>'ruleId', (n.payload->>'ruleSetVersion')::integer,
         COALESCE(n.payload->'flags', '[]'::jsonb), n.payload->>'serial', n.payload->>'epc', site_ts(n.payload->>'gradedAt', n.accepted_at),
         site_ts(pr.payload->>'receivedAt', NULL), n.payload->>'rmaNumber' IS NULL OR COALESCE((pr.payload->>'blindReturn')::boolean, false),
         CASE WHEN COALESCE((n.payload->>'heldForReview')::boolean, false) THEN 'pending' ELSE 'none' END,
         (prod.body->>'priceJpy')::bigint, prod.body->>'category',
         (SELECT l->>'reason' FROM jsonb_array_elements(rma.body->'lines') l WHERE l->>'id' = n.payload->>'lineId' LIMIT 1),
         CASE WHEN rma.body IS NOT NULL THEN COALESCE(rma.body->>'returnChannel', 'home_pickup') END,
         n.idempotency_key
  FROM new_events n
  LEFT JOIN LATERAL (SELECT e.payload FROM events e WHERE e.site_id = n.site_id AND e.aggregate_type = 'parcel' AND e.aggregate_id = n.payload->>'parcelId'
                     AND e.type = 'parcel.received' ORDER BY e.sequence LIMIT 1) pr ON true
  LEFT JOIN reference_rows prod ON prod.site_id = n.site_id AND prod.resource = 'products' AND prod.id = n.payload->>'sku'
  LEFT JOIN reference_rows rma ON rma.site_id = n.site_id AND rma.resource = 'rmas' AND rma.id = n.payload->>'rmaNumber'
  WHERE n.type = 'item.graded'
  ON CONFLICT DO NOTHING;

  -- The first decision about an item wins, as in the site queue (0004, hub/review.ts): a later one is stale.
  UPDATE site_items s
     SET review_status = CASE d.type WHEN 'item.approved' THEN 'approved' ELSE 'overridden' END,
         reviewed_by = d.payload->>'operatorId', reviewed_at = d.payload->>'reviewedAt', review_reason = d.payload->>'reason',
         grade = COALESCE(d.payload->'after'->>'grade', s.grade),
         disposition = COALESCE(d.payload->'after'->>'disposition', s.disposition),
         destination = COALESCE(d.payload->'after'->>'destination', s.destination)
    FROM (SELECT DISTINCT ON (site_id, payload->>'itemId') site_id, type, payload FROM new_events
          WHERE type IN ('item.approved', 'item.overridden') ORDER BY site_id, payload->>'itemId', sequence) d
   WHERE s.site_id = d.site_id AND s.item_id = d.payload->>'itemId' AND s.review_status IN ('none', 'pending');

  -- Live dashboards (hub/siteDashboard.ts) refetch; PostgreSQL folds equal notifications of one transaction.
  PERFORM pg_notify('rs_site_items', x.site_id)
     FROM (SELECT DISTINCT site_id FROM new_events WHERE type IN ('item.graded', 'item.approved', 'item.overridden')) x;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
