-- Badges are compared as contract/badge.ts normalizeBadge gives them (trimmed, NFKC, upper case), so a badge
-- scanned as op-1001 signs in OP-1001. Stored badges take that form here. Every badge was enrolled through the
-- contract's ASCII-only badge schema (on the bench or at the hub), and NFKC leaves ASCII as it is, so
-- upper(trim()) is the whole normalization; SQLite's upper() folds ASCII only, which is all there is.
--
-- Two operators whose badges differ only in case (op-1 and OP-1) would now be one badge. The one that keeps it:
-- an enabled one before a disabled one, then the one already written in upper case, then the one enrolled
-- first. The others are set aside as a site roster pull sets one aside (db/repositories/siteSync.ts isSetAside):
-- disabled, badge `<badge>~<id>`, kept because items and the audit name them; a supervisor enrols them again
-- with a badge of their own. Badges already set aside stay as they are.
CREATE TEMP TABLE badge_013 AS
SELECT id,
       upper(trim(badge)) AS normalized,
       row_number() OVER (
         PARTITION BY upper(trim(badge))
         ORDER BY disabled_at IS NOT NULL, badge <> upper(trim(badge)), rowid
       ) AS rank
FROM operators
WHERE NOT (disabled_at IS NOT NULL AND substr(badge, -length(id) - 1) = '~' || id);

UPDATE operators
SET badge = badge || '~' || id,
    disabled_at = COALESCE(disabled_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
WHERE id IN (SELECT id FROM badge_013 WHERE rank > 1);

UPDATE operators
SET badge = (SELECT normalized FROM badge_013 WHERE badge_013.id = operators.id)
WHERE id IN (SELECT id FROM badge_013 WHERE rank = 1 AND normalized <> operators.badge);

DROP TABLE badge_013;
