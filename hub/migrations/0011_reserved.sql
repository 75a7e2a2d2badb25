-- Reserved for the snapshot file's migration (issue 14, worktree wt4-s), which replaces this file when the
-- branches are merged; kept here so the numbers have no gap (hub/migrate.ts refuses one). Changes nothing.
SELECT 1;
