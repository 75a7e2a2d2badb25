-- Issue 15: site reports, exports and the live dashboard read one projection of every graded item at the
-- site, kept by a trigger on `events` like 0004's, so an accepted item is reportable in the transaction that
-- accepted it and a replayed batch adds nothing.
--
-- The reference data the reports need (price, category, the RMA line's reason, the return channel) is
-- copied in when the item arrives rather than joined at query time: a 5M-row export or summary then reads one
-- table, and the figures keep the price the item had when it was graded. An item graded before its RMA or
-- product reached the hub keeps nulls there (it counts as "none" / price 0, as the bench does).
CREATE TABLE site_items (
  site_id           text        NOT NULL,
  item_id           text        NOT NULL,
  station_id        text        NOT NULL,
  operator_id       text        NOT NULL,
  lpn               text        NOT NULL,
  parcel_id         text        NOT NULL,
  rma_number        text,
  line_id           text,
  sku               text        NOT NULL,
  kind              text        NOT NULL,
  -- After a review override, the values the item now has; graded_* keep what the bench graded.
  grade             text        NOT NULL,
  disposition       text        NOT NULL,
  destination       text        NOT NULL,
  graded_grade      text        NOT NULL,
  graded_disposition text       NOT NULL,
  rule_id           text        NOT NULL,
  rule_set_version  integer     NOT NULL,
  flags             jsonb       NOT NULL,
  serial            text,
  epc               text,
  graded_at         timestamptz NOT NULL,
  received_at       timestamptz,
  blind_return      boolean     NOT NULL,
  -- none: never held; pending / approved / overridden as in the site queue.
  review_status     text        NOT NULL CHECK (review_status IN ('none', 'pending', 'approved', 'overridden')),
  reviewed_by       text,
  reviewed_at       text,
  review_reason     text,
  price_jpy         bigint,
  category          text,
  reason            text,
  channel           text,
  graded_event      uuid        NOT NULL,
  PRIMARY KEY (site_id, item_id)
);
-- Date ranges (every report), and the bench and operator filters within them.
CREATE INDEX site_items_graded ON site_items (site_id, graded_at);
CREATE INDEX site_items_station ON site_items (site_id, station_id, graded_at);
CREATE INDEX site_items_operator ON site_items (site_id, operator_id, graded_at);
-- The review backlog and its age come from the site queue itself (site_review_items), as the Review screen shows it.

-- A bench's own timestamps are ISO strings the contract does not check; one that does not parse must not
-- refuse the batch that carries it, so it falls back (to the hub's acceptance time for graded_at).
CREATE FUNCTION site_ts(t text, fallback timestamptz) RETURNS timestamptz AS $$
BEGIN
  RETURN COALESCE(t::timestamptz, fallback);
EXCEPTION WHEN others THEN
  RETURN fallback;
END
$$ LANGUAGE plpgsql STABLE;

-- Once per INSERT statement (an ingest batch is one), over the statement's rows: one pass however many
-- events a batch carries. Items first, then decisions, so a decision in the same batch as its item applies.
CREATE FUNCTION site_items_from_events() RETURNS trigger AS $$
BEGIN
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

CREATE TRIGGER site_items_from_events AFTER INSERT ON events REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION site_items_from_events();

-- What the benches delivered before this migration (the same projection as the trigger's).
INSERT INTO site_items (site_id, item_id, station_id, operator_id, lpn, parcel_id, rma_number, line_id, sku, kind, grade, disposition, destination,
                        graded_grade, graded_disposition, rule_id, rule_set_version, flags, serial, epc, graded_at, received_at, blind_return,
                        review_status, price_jpy, category, reason, channel, graded_event)
SELECT n.site_id, n.payload->>'itemId', n.station_id, n.payload->>'operatorId', n.payload->>'lpn', n.payload->>'parcelId', n.payload->>'rmaNumber',
       n.payload->>'lineId', n.payload->>'sku', COALESCE(n.payload->>'kind', 'expected'), COALESCE(r.grade, n.payload->>'grade'),
       COALESCE(r.disposition, n.payload->>'disposition'), COALESCE(r.destination, n.payload->>'destination'), n.payload->>'grade',
       n.payload->>'disposition', n.payload->>'ruleId', (n.payload->>'ruleSetVersion')::integer, COALESCE(n.payload->'flags', '[]'::jsonb),
       n.payload->>'serial', n.payload->>'epc', site_ts(n.payload->>'gradedAt', n.accepted_at), site_ts(pr.payload->>'receivedAt', NULL),
       n.payload->>'rmaNumber' IS NULL OR COALESCE((pr.payload->>'blindReturn')::boolean, false),
       COALESCE(r.status, CASE WHEN COALESCE((n.payload->>'heldForReview')::boolean, false) THEN 'pending' ELSE 'none' END),
       (prod.body->>'priceJpy')::bigint, prod.body->>'category',
       (SELECT l->>'reason' FROM jsonb_array_elements(rma.body->'lines') l WHERE l->>'id' = n.payload->>'lineId' LIMIT 1),
       CASE WHEN rma.body IS NOT NULL THEN COALESCE(rma.body->>'returnChannel', 'home_pickup') END,
       n.idempotency_key
FROM events n
LEFT JOIN site_review_items r ON r.site_id = n.site_id AND r.item_id = n.payload->>'itemId'
LEFT JOIN LATERAL (SELECT e.payload FROM events e WHERE e.site_id = n.site_id AND e.aggregate_type = 'parcel' AND e.aggregate_id = n.payload->>'parcelId'
                   AND e.type = 'parcel.received' ORDER BY e.sequence LIMIT 1) pr ON true
LEFT JOIN reference_rows prod ON prod.site_id = n.site_id AND prod.resource = 'products' AND prod.id = n.payload->>'sku'
LEFT JOIN reference_rows rma ON rma.site_id = n.site_id AND rma.resource = 'rmas' AND rma.id = n.payload->>'rmaNumber'
WHERE n.type = 'item.graded'
ON CONFLICT DO NOTHING;

-- Benches at a glance: what only the bench knows (its outbox, devices, who is signed in, its rule set),
-- as it last reported it. The hub's own view of the bench (last contact) stays on `benches`.
CREATE TABLE bench_status (
  site_id            text        NOT NULL,
  station_id         text        NOT NULL,
  reported_at        timestamptz NOT NULL DEFAULT now(),
  outbox_pending     integer     NOT NULL,
  oldest_pending_at  text,
  dead_letters       integer     NOT NULL,
  device_faults      jsonb       NOT NULL,
  operator_id        text,
  operator_name      text,
  rule_set_version   integer,
  app_version        text,
  PRIMARY KEY (site_id, station_id)
);
