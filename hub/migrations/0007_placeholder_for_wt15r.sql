-- Placeholder on branch wip2-15s only: wt-15r owns migration 0007 (site_items). The hub migrator refuses gaps,
-- so this empty step lets this branch's 0008 apply. The merger drops this file in favour of wt-15r's 0007.
SELECT 1;
