-- Issue 15 (wt-15s): one rule set for the site, and the flags only a site can raise.

-- Rule sets published at the hub, every version kept: benches pull the newest (hub/ruleSets.ts) and every item
-- records the version it was routed by, so (rule id, version) always names one published table.
CREATE TABLE site_rule_sets (
  site_id       text        NOT NULL,
  version       integer     NOT NULL CHECK (version > 0),
  body          jsonb       NOT NULL,
  published_by  text        NOT NULL,
  published_at  timestamptz NOT NULL DEFAULT now(),
  note          text,
  PRIMARY KEY (site_id, version)
);

-- What makes a customer a serial returner at this site; a site without a row uses the defaults below.
CREATE TABLE site_flag_settings (
  site_id               text    NOT NULL PRIMARY KEY,
  returner_window_days  integer NOT NULL DEFAULT 90 CHECK (returner_window_days BETWEEN 1 AND 3650),
  returner_threshold    integer NOT NULL DEFAULT 3 CHECK (returner_threshold >= 2)
);

-- One site flag on one item, with its evidence ({count, windowDays?, threshold?, occurrences: [...]}, the shape of
-- contract/siteFlags.ts SiteFlagEvidence). The key makes raising idempotent.
CREATE TABLE site_flags (
  site_id       text        NOT NULL,
  item_id       text        NOT NULL,
  code          text        NOT NULL CHECK (code IN ('site_serial_returner', 'site_rma_twice', 'site_serial_twice', 'site_epc_twice')),
  subject       text        NOT NULL,
  station_id    text        NOT NULL,
  graded_event  uuid        NOT NULL,
  evidence      jsonb       NOT NULL,
  raised_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, item_id, code)
);

-- The look-ups a flag needs, partial so that other event types cost ingest nothing extra.
CREATE INDEX events_graded_serial ON events (site_id, (payload->>'serial')) WHERE type = 'item.graded' AND payload ? 'serial';
CREATE INDEX events_graded_epc ON events (site_id, (payload->>'epc')) WHERE type = 'item.graded' AND payload ? 'epc';
CREATE INDEX events_received_rma ON events (site_id, (payload->>'rmaNumber')) WHERE type = 'parcel.received';
CREATE INDEX reference_rmas_customer ON reference_rows (site_id, (body->>'customerId')) WHERE resource = 'rmas';

-- A bench's timestamp is only z.string() in the contract: a bad one must not abort the batch that carries it.
CREATE FUNCTION rs_try_timestamptz(t text) RETURNS timestamptz AS $$
BEGIN
  RETURN t::timestamptz;
EXCEPTION WHEN others THEN
  RETURN NULL;
END
$$ LANGUAGE plpgsql STABLE;

-- Records one flag on the graded item `g` and puts the item in the site review queue (a row the bench did not
-- hold for review is added as pending; a row already there gets the code among its flags).
CREATE FUNCTION site_flag_raise(g events, p_code text, p_subject text, p_evidence jsonb) RETURNS void AS $$
BEGIN
  INSERT INTO site_flags (site_id, item_id, code, subject, station_id, graded_event, evidence)
  VALUES (g.site_id, g.payload->>'itemId', p_code, p_subject, g.station_id, g.idempotency_key, p_evidence)
  ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  INSERT INTO site_review_items (site_id, item_id, station_id, lpn, parcel_id, rma_number, sku, kind, grade, disposition, destination,
                                 rule_id, rule_set_version, flags, photos, operator_id, graded_at, graded_event)
  VALUES (g.site_id, g.payload->>'itemId', g.station_id, g.payload->>'lpn', g.payload->>'parcelId', g.payload->>'rmaNumber',
          g.payload->>'sku', COALESCE(g.payload->>'kind', 'expected'), g.payload->>'grade', g.payload->>'disposition',
          g.payload->>'destination', g.payload->>'ruleId', (g.payload->>'ruleSetVersion')::integer,
          COALESCE(g.payload->'flags', '[]'::jsonb) || to_jsonb(p_code), COALESCE(g.payload->'photos', '[]'::jsonb),
          g.payload->>'operatorId', g.payload->>'gradedAt', g.idempotency_key)
  ON CONFLICT (site_id, item_id) DO UPDATE
    SET flags = CASE WHEN site_review_items.flags ? p_code THEN site_review_items.flags ELSE site_review_items.flags || to_jsonb(p_code) END;
END
$$ LANGUAGE plpgsql;

-- Raises the site flags for the items graded in one accepted batch. Statement-level, over the batch's new rows:
-- a replayed batch inserts no event, so it raises nothing; and the batch's rows are already in `events`, so a
-- receipt and a grade in one batch see each other.
CREATE FUNCTION site_flags_from_events() RETURNS trigger AS $$
DECLARE
  g events;
  win integer;
  thr integer;
  ref_at timestamptz;
  n integer;
  occ jsonb;
  cust text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM added WHERE type IN ('item.graded', 'parcel.received')) THEN
    RETURN NULL;
  END IF;
  -- Two benches' batches naming the same serial, EPC or RMA take turns here, so the second sees the first
  -- (each query below takes a fresh snapshot after the lock); the fixed order keeps them from deadlocking.
  PERFORM pg_advisory_xact_lock(hashtextextended('rs_hub.siteflag.' || s.site_id || '.' || s.k, 0))
  FROM (SELECT DISTINCT a.site_id, v.k
          FROM added a, LATERAL (VALUES ('s:' || (a.payload->>'sku') || ':' || (a.payload->>'serial')), ('e:' || (a.payload->>'epc')), ('r:' || (a.payload->>'rmaNumber'))) v(k)
         WHERE a.type IN ('item.graded', 'parcel.received') AND v.k IS NOT NULL
         ORDER BY 1, 2) s;

  FOR g IN SELECT * FROM added WHERE type = 'item.graded' ORDER BY occurred_at LOOP
    SELECT COALESCE(max(returner_window_days), 90), COALESCE(max(returner_threshold), 3) INTO win, thr
      FROM site_flag_settings WHERE site_id = g.site_id;
    ref_at := COALESCE(rs_try_timestamptz(g.payload->>'gradedAt'), now());

    -- The same serial number of the same product returned as two items.
    IF COALESCE(g.payload->>'serial', '') <> '' THEN
      SELECT count(*), jsonb_agg(o ORDER BY o->>'at') INTO n, occ FROM (
        SELECT DISTINCT ON (e.payload->>'itemId')
               jsonb_build_object('source', 'bench', 'stationId', e.station_id, 'at', e.payload->>'gradedAt', 'rmaNumber', e.payload->>'rmaNumber',
                                  'parcelId', e.payload->>'parcelId', 'itemId', e.payload->>'itemId', 'lpn', e.payload->>'lpn') AS o
          FROM events e
         WHERE e.site_id = g.site_id AND e.type = 'item.graded' AND e.payload ? 'serial'
           AND e.payload->>'serial' = g.payload->>'serial' AND e.payload->>'sku' = g.payload->>'sku'
         ORDER BY e.payload->>'itemId', e.occurred_at
         LIMIT 50) x;
      -- The first sighting is not the suspicious one: an item is flagged when another with its serial came in an
      -- earlier batch (whatever its grading time, so a bench that was offline is flagged when it delivers) or earlier in this one.
      IF n >= 2 AND EXISTS (
           SELECT 1 FROM events e2
            WHERE e2.site_id = g.site_id AND e2.type = 'item.graded' AND e2.payload ? 'serial' AND e2.payload->>'serial' = g.payload->>'serial' AND e2.payload->>'sku' = g.payload->>'sku'
              AND e2.payload->>'itemId' <> g.payload->>'itemId'
              AND (NOT EXISTS (SELECT 1 FROM added a WHERE a.site_id = e2.site_id AND a.idempotency_key = e2.idempotency_key)
                   OR (e2.occurred_at, e2.payload->>'itemId') < (g.occurred_at, g.payload->>'itemId'))) THEN
        PERFORM site_flag_raise(g, 'site_serial_twice', g.payload->>'serial', jsonb_build_object('count', n, 'occurrences', occ));
      END IF;
    END IF;

    -- The same EPC (one tag, one physical item) returned as two items.
    IF COALESCE(g.payload->>'epc', '') <> '' THEN
      SELECT count(*), jsonb_agg(o ORDER BY o->>'at') INTO n, occ FROM (
        SELECT DISTINCT ON (e.payload->>'itemId')
               jsonb_build_object('source', 'bench', 'stationId', e.station_id, 'at', e.payload->>'gradedAt', 'rmaNumber', e.payload->>'rmaNumber',
                                  'parcelId', e.payload->>'parcelId', 'itemId', e.payload->>'itemId', 'lpn', e.payload->>'lpn') AS o
          FROM events e
         WHERE e.site_id = g.site_id AND e.type = 'item.graded' AND e.payload ? 'epc' AND e.payload->>'epc' = g.payload->>'epc'
         ORDER BY e.payload->>'itemId', e.occurred_at
         LIMIT 50) x;
      -- The first sighting is not the suspicious one: an item is flagged when another with its epc came in an
      -- earlier batch (whatever its grading time, so a bench that was offline is flagged when it delivers) or earlier in this one.
      IF n >= 2 AND EXISTS (
           SELECT 1 FROM events e2
            WHERE e2.site_id = g.site_id AND e2.type = 'item.graded' AND e2.payload ? 'epc' AND e2.payload->>'epc' = g.payload->>'epc'
              AND e2.payload->>'itemId' <> g.payload->>'itemId'
              AND (NOT EXISTS (SELECT 1 FROM added a WHERE a.site_id = e2.site_id AND a.idempotency_key = e2.idempotency_key)
                   OR (e2.occurred_at, e2.payload->>'itemId') < (g.occurred_at, g.payload->>'itemId'))) THEN
        PERFORM site_flag_raise(g, 'site_epc_twice', g.payload->>'epc', jsonb_build_object('count', n, 'occurrences', occ));
      END IF;
    END IF;

    IF g.payload->>'rmaNumber' IS NOT NULL THEN
      -- The same RMA received as two parcels, at two benches or twice at one.
      SELECT count(*), jsonb_agg(o ORDER BY o->>'at') INTO n, occ FROM (
        SELECT DISTINCT ON (e.payload->>'parcelId')
               jsonb_build_object('source', 'bench', 'stationId', e.station_id, 'at', e.payload->>'receivedAt', 'rmaNumber', e.payload->>'rmaNumber',
                                  'parcelId', e.payload->>'parcelId', 'itemId', NULL, 'lpn', NULL) AS o
          FROM events e
         WHERE e.site_id = g.site_id AND e.type = 'parcel.received' AND e.payload->>'rmaNumber' = g.payload->>'rmaNumber'
         ORDER BY e.payload->>'parcelId', e.occurred_at
         LIMIT 50) x;
      IF n >= 2 THEN
        PERFORM site_flag_raise(g, 'site_rma_twice', g.payload->>'rmaNumber', jsonb_build_object('count', n, 'occurrences', occ));
      END IF;

      -- A customer's returns within the window: received at any bench of the site, or known to the WMS (its RMAs).
      SELECT body->>'customerId' INTO cust FROM reference_rows
       WHERE site_id = g.site_id AND resource = 'rmas' AND id = g.payload->>'rmaNumber';
      IF cust IS NOT NULL THEN
        SELECT count(*), jsonb_agg(o ORDER BY o->>'at') INTO n, occ FROM (
          SELECT CASE WHEN rc.parcel IS NULL
                   THEN jsonb_build_object('source', 'wms', 'stationId', NULL, 'at', r.body->>'createdAt', 'rmaNumber', r.id, 'parcelId', NULL, 'itemId', NULL, 'lpn', NULL)
                   ELSE jsonb_build_object('source', 'bench', 'stationId', rc.station_id, 'at', rc.received, 'rmaNumber', r.id, 'parcelId', rc.parcel, 'itemId', NULL, 'lpn', NULL)
                 END AS o
            FROM reference_rows r
            LEFT JOIN LATERAL (
              SELECT e.station_id, e.payload->>'receivedAt' AS received, e.payload->>'parcelId' AS parcel
                FROM events e
               WHERE e.site_id = r.site_id AND e.type = 'parcel.received' AND e.payload->>'rmaNumber' = r.id
               ORDER BY e.occurred_at LIMIT 1) rc ON true
           WHERE r.site_id = g.site_id AND r.resource = 'rmas' AND r.body->>'customerId' = cust
             AND COALESCE(rs_try_timestamptz(rc.received), rs_try_timestamptz(r.body->>'createdAt')) BETWEEN ref_at - make_interval(days => win) AND ref_at + interval '1 day'
           LIMIT 200) x;
        IF n >= thr THEN
          PERFORM site_flag_raise(g, 'site_serial_returner', cust,
                                  jsonb_build_object('count', n, 'windowDays', win, 'threshold', thr, 'occurrences', occ));
        END IF;
      END IF;
    END IF;
  END LOOP;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- Named to fire after the site review trigger of 0004 (statement triggers of one event fire in name order),
-- so the queue row a held item already has is the one the flag lands on.
CREATE TRIGGER zz_site_flags_from_events AFTER INSERT ON events
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION site_flags_from_events();

-- The dry run's "last N items graded at the site", newest first.
CREATE INDEX events_graded_recent ON events (site_id, accepted_at DESC) WHERE type = 'item.graded';
