-- Which rule set routed each item. An item kept only (rule id, version), and a bench's own v3 (rule_sets) and the
-- site's v3 (site_rule_sets, 012) share that number: review, the reports and the export could not say whose rules
-- routed it, nor explain the rule from the right table. Each item now records the source of its rule set (the one
-- shipped with the app, this bench's own, or the site's), whose it is (the bench's station id, the site id) and the
-- sha256 of its content (shared-node/ruleSetHash.ts), as its item.graded event does (contract RuleSetOrigin).
-- Items graded before this migration keep NULL: where their rules came from was not recorded, and a guess from the
-- version could name the wrong table.
ALTER TABLE items ADD COLUMN rule_set_source TEXT CHECK (rule_set_source IN ('shipped', 'bench', 'site'));
ALTER TABLE items ADD COLUMN rule_set_source_id TEXT;
ALTER TABLE items ADD COLUMN rule_set_sha256 TEXT;

-- The site a pulled version belongs to, as the hub names it (GET /hub/v1/rule-set answers it from now on); NULL for
-- versions pulled before, or from a hub that does not say.
ALTER TABLE site_rule_sets ADD COLUMN site_id TEXT;
