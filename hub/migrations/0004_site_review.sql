-- Issue 15: the site's review queue. Every item a bench graded and held for review, from the events the
-- benches delivered, in one table; a trigger on `events` keeps it, so the row is written in the very
-- transaction that accepted the event (hub/ingest.ts needs no change) and a replayed batch adds nothing.
CREATE TABLE site_review_items (
  site_id        text        NOT NULL,
  item_id        text        NOT NULL,
  station_id     text        NOT NULL,
  lpn            text        NOT NULL,
  parcel_id      text        NOT NULL,
  rma_number     text,
  sku            text        NOT NULL,
  kind           text        NOT NULL,
  grade          text        NOT NULL,
  disposition    text        NOT NULL,
  destination    text        NOT NULL,
  rule_id        text        NOT NULL,
  rule_set_version integer   NOT NULL,
  flags          jsonb       NOT NULL,
  photos         jsonb       NOT NULL,
  operator_id    text        NOT NULL,
  graded_at      text COLLATE "C" NOT NULL,
  -- The item.graded event itself (its payload is the detail a lead opens).
  graded_event   uuid        NOT NULL,
  status         text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'overridden')),
  decided_by     text,
  decided_at     text,
  decided_where  text,
  reason         text,
  PRIMARY KEY (site_id, item_id)
);
-- The queue's default order (oldest first) within a status, and its bench / operator filters.
CREATE INDEX site_review_queue ON site_review_items (site_id, status, graded_at, item_id);
CREATE INDEX site_review_bench ON site_review_items (site_id, station_id, status, graded_at);

-- Decisions taken at the hub, in order: the bench that graded the item pulls its own by `seq`.
CREATE TABLE site_review_decisions (
  site_id      text        NOT NULL,
  seq          bigint      GENERATED ALWAYS AS IDENTITY,
  item_id      text        NOT NULL,
  station_id   text        NOT NULL,
  lpn          text        NOT NULL,
  kind         text        NOT NULL CHECK (kind IN ('approved', 'overridden')),
  operator_id  text        NOT NULL,
  decided_at   text        NOT NULL,
  reason       text,
  after        jsonb,
  PRIMARY KEY (site_id, seq)
);
CREATE INDEX site_review_decisions_bench ON site_review_decisions (site_id, station_id, seq);

CREATE FUNCTION site_review_from_event() RETURNS trigger AS $$
BEGIN
  IF NEW.type = 'item.graded' AND COALESCE((NEW.payload->>'heldForReview')::boolean, false) THEN
    INSERT INTO site_review_items (site_id, item_id, station_id, lpn, parcel_id, rma_number, sku, kind, grade, disposition, destination,
                                   rule_id, rule_set_version, flags, photos, operator_id, graded_at, graded_event)
    VALUES (NEW.site_id, NEW.payload->>'itemId', NEW.station_id, NEW.payload->>'lpn', NEW.payload->>'parcelId', NEW.payload->>'rmaNumber',
            NEW.payload->>'sku', COALESCE(NEW.payload->>'kind', 'expected'), NEW.payload->>'grade', NEW.payload->>'disposition',
            NEW.payload->>'destination', NEW.payload->>'ruleId', (NEW.payload->>'ruleSetVersion')::integer,
            COALESCE(NEW.payload->'flags', '[]'::jsonb), COALESCE(NEW.payload->'photos', '[]'::jsonb), NEW.payload->>'operatorId', NEW.payload->>'gradedAt', NEW.idempotency_key)
    ON CONFLICT DO NOTHING;
  ELSIF NEW.type IN ('item.approved', 'item.overridden') AND NEW.aggregate_id NOT LIKE '%/site' THEN
    -- Decided at the bench itself (a lead there): the site queue shows it decided too.
    UPDATE site_review_items
       SET status = CASE NEW.type WHEN 'item.approved' THEN 'approved' ELSE 'overridden' END,
           decided_by = NEW.payload->>'operatorId', decided_at = NEW.payload->>'reviewedAt', decided_where = NEW.station_id,
           reason = NEW.payload->>'reason',
           grade = COALESCE(NEW.payload->'after'->>'grade', grade),
           disposition = COALESCE(NEW.payload->'after'->>'disposition', disposition),
           destination = COALESCE(NEW.payload->'after'->>'destination', destination)
     WHERE site_id = NEW.site_id AND item_id = NEW.payload->>'itemId' AND status = 'pending';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER site_review_from_event AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION site_review_from_event();

-- What the benches delivered before this migration.
INSERT INTO site_review_items (site_id, item_id, station_id, lpn, parcel_id, rma_number, sku, kind, grade, disposition, destination,
                               rule_id, rule_set_version, flags, photos, operator_id, graded_at, graded_event)
SELECT site_id, payload->>'itemId', station_id, payload->>'lpn', payload->>'parcelId', payload->>'rmaNumber', payload->>'sku',
       COALESCE(payload->>'kind', 'expected'), payload->>'grade', payload->>'disposition', payload->>'destination', payload->>'ruleId',
       (payload->>'ruleSetVersion')::integer, COALESCE(payload->'flags', '[]'::jsonb), COALESCE(payload->'photos', '[]'::jsonb),
       payload->>'operatorId', payload->>'gradedAt', idempotency_key
FROM events WHERE type = 'item.graded' AND COALESCE((payload->>'heldForReview')::boolean, false)
ON CONFLICT DO NOTHING;
