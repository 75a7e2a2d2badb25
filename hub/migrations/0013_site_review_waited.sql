-- The site review queue's "waiting at least N minutes" filter measured every item from its grading to now, while the
-- queue's rows and the detail show a decided item's wait as it was when a lead decided it (domain/review/waiting.ts):
-- an item decided after 5 minutes a week ago passed "at least 60 minutes" while its row said 5. The wait of a decided
-- item no longer changes, so it is kept on the row, computed by PostgreSQL from the row's own times whichever write
-- decided it (the hub's own decision, a bench's decision at ingest, a bulk load); hub/review.ts filters by it.

-- A bench's time (text, not checked at ingest) as milliseconds since 1970, read as the rows read it: JavaScript's
-- Date.parse, ISO 8601 with its zone (or a date alone, which is UTC). Its quirks too: a day past the month's end rolls over (02-30 is 03-02), 24:00
-- is the next midnight, a fraction is cut to whole milliseconds. Worked out field by field, so no text can make it
-- raise an error (a cast would, for 02-30) and it is truly IMMUTABLE, as a generated column needs. NULL for anything
-- else, a time without its zone included (Date.parse would read that in the hub's own zone; benches write the zone).
CREATE FUNCTION site_review_epoch_ms(t text) RETURNS bigint AS $$
DECLARE
  p text[];
  y int; mo int; d int; h int; mi int; s int; ms int; zh int; zm int;
  offset_min int := 0;
BEGIN
  IF t IS NULL THEN
    RETURN NULL;
  END IF;
  -- What benches write (toISOString) is read by position: a regular expression with groups costs tens of µs a time,
  -- which a table of a million decided items (this migration's rewrite) would feel. Digits are ASCII digits only,
  -- whatever the database's locale calls a digit, as Date.parse reads them.
  IF translate(t, '123456789', '000000000') = '0000-00-00T00:00:00.000Z' THEN
    y := substr(t, 1, 4)::int; mo := substr(t, 6, 2)::int; d := substr(t, 9, 2)::int;
    h := substr(t, 12, 2)::int; mi := substr(t, 15, 2)::int; s := substr(t, 18, 2)::int; ms := substr(t, 21, 3)::int;
  ELSE
    p := regexp_match(t, '^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?(?:(Z)|([+-])([0-9]{2}):?([0-9]{2})))?$');
    IF p IS NULL THEN
      RETURN NULL;
    END IF;
    y := p[1]::int; mo := p[2]::int; d := p[3]::int;
    h := COALESCE(p[4], '0')::int; mi := COALESCE(p[5], '0')::int; s := COALESCE(p[6], '0')::int;
    ms := COALESCE(rpad(left(p[7], 3), 3, '0'), '0')::int;
    IF p[9] IS NOT NULL THEN
      zh := p[10]::int; zm := p[11]::int;
      IF zh > 23 OR zm > 59 THEN
        RETURN NULL;
      END IF;
      offset_min := (zh * 60 + zm) * (CASE p[9] WHEN '-' THEN -1 ELSE 1 END);
    END IF;
  END IF;
  IF y < 1 OR mo NOT BETWEEN 1 AND 12 OR d NOT BETWEEN 1 AND 31 OR h > 24 OR mi > 59 OR s > 59 OR (h = 24 AND (mi > 0 OR s > 0 OR ms > 0)) THEN
    RETURN NULL;
  END IF;
  RETURN ((make_date(y, mo, 1) - date '1970-01-01') + d - 1)::bigint * 86400000
         + h * 3600000 + mi * 60000 + s * 1000 + ms - offset_min::bigint * 60000;
END
$$ LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE;

-- Milliseconds from grading to decision, never below 0, and 0 when either time cannot be read (as waiting.ts reads
-- them); NULL while the item waits (its wait runs on: the filter compares its grading time with now). A pending row,
-- which is every row ingest writes, costs one comparison, not a parse.
ALTER TABLE site_review_items ADD COLUMN waited_ms bigint GENERATED ALWAYS AS (
  CASE WHEN status <> 'pending' THEN COALESCE(GREATEST(0, site_review_epoch_ms(decided_at) - site_review_epoch_ms(graded_at)), 0) END
) STORED;
