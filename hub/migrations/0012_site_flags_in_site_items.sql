-- A flag only the site raises (0008) reached the site review queue but not site_items, which the site report,
-- the dashboard and the export read: the report's flag filter found none of them, its "flags and outcomes" table
-- and the export's flag columns left them out, and an item the bench had not held stayed "none" there while it
-- waited in the queue. site_flag_raise now records the code (and the wait) on the item's site_items row too. It
-- runs from zz_site_flags_from_events, after site_items_from_events has inserted the batch's items.

CREATE OR REPLACE FUNCTION site_flag_raise(g events, p_code text, p_subject text, p_evidence jsonb) RETURNS void AS $$
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
  UPDATE site_items
     SET flags = CASE WHEN flags ? p_code THEN flags ELSE flags || to_jsonb(p_code) END,
         review_status = CASE WHEN review_status = 'none' THEN 'pending' ELSE review_status END
   WHERE site_id = g.site_id AND item_id = g.payload->>'itemId';
END
$$ LANGUAGE plpgsql;

-- The flags raised before this migration, and the wait of the items they put in the queue.
UPDATE site_items i
   SET flags = i.flags || COALESCE((SELECT jsonb_agg(f.code ORDER BY f.raised_at, f.code) FROM site_flags f
                                     WHERE f.site_id = i.site_id AND f.item_id = i.item_id AND NOT i.flags ? f.code), '[]'::jsonb)
 WHERE EXISTS (SELECT 1 FROM site_flags f WHERE f.site_id = i.site_id AND f.item_id = i.item_id AND NOT i.flags ? f.code);
UPDATE site_items i
   SET review_status = 'pending'
  FROM site_review_items r
 WHERE r.site_id = i.site_id AND r.item_id = i.item_id AND r.status = 'pending' AND i.review_status = 'none';
