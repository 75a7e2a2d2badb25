-- Which rule set routed each item the site's report and export read. site_items kept only (rule id, version), and
-- a bench's own v3 and the site's v3 (0008) share that number: the export could not say whose rules routed an item.
-- A bench's item.graded now carries ruleSetOrigin (contract/entities.ts RuleSetOrigin: shipped / bench / site, the
-- bench's station id or the site id, the sha256 of the rule set's content); site_items keeps it beside the version.
-- The site review queue needs no column: its detail reads the graded event itself (hub/review.ts getSiteReview).
-- Items graded before, and events of benches that do not send it, keep NULL: nothing says where their rules came
-- from, and the version alone could name the wrong table. The ingest trigger is 0011's with the three columns.

ALTER TABLE site_items ADD COLUMN rule_set_source text CHECK (rule_set_source IN ('shipped', 'bench', 'site'));
ALTER TABLE site_items ADD COLUMN rule_set_source_id text;
ALTER TABLE site_items ADD COLUMN rule_set_sha256 text;

CREATE OR REPLACE FUNCTION site_items_from_events() RETURNS trigger AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_events WHERE type IN ('item.graded', 'item.approved', 'item.overridden')) THEN
    RETURN NULL;
  END IF;
  INSERT INTO site_items (site_id, item_id, station_id, operator_id, lpn, parcel_id, rma_number, line_id, sku, kind, grade, disposition, destination,
                          graded_grade, graded_disposition, rule_id, rule_set_version, rule_set_source, rule_set_source_id, rule_set_sha256,
                          flags, serial, epc, graded_at, received_at, blind_return,
                          review_status, price_jpy, category, reason, channel, graded_event)
  SELECT n.site_id, n.payload->>'itemId', n.station_id, n.payload->>'operatorId', n.payload->>'lpn', n.payload->>'parcelId', n.payload->>'rmaNumber',
         n.payload->>'lineId', n.payload->>'sku', COALESCE(n.payload->>'kind', 'expected'), n.payload->>'grade', n.payload->>'disposition',
         n.payload->>'destination', n.payload->>'grade', n.payload->>'disposition', n.payload->>'ruleId', (n.payload->>'ruleSetVersion')::integer,
         n.payload->'ruleSetOrigin'->>'source',
         -- A bench that pulled the site's rules from a hub that did not name the site: the site is this one.
         CASE WHEN n.payload->'ruleSetOrigin'->>'source' = 'site' THEN COALESCE(n.payload->'ruleSetOrigin'->>'sourceId', n.site_id)
              ELSE n.payload->'ruleSetOrigin'->>'sourceId' END,
         n.payload->'ruleSetOrigin'->>'sha256',
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
