-- One row the checkpoint worker rewrites right after a checkpoint that copied the whole WAL (db/checkpoint.ts
-- restartWal). The first write after such a checkpoint starts the WAL over, and SQLite syncs the new WAL header
-- on the writer's thread; written here by the worker, that sync no longer falls on the next operator's commit on
-- the station's event loop (up to 190 ms in a traced busy bench, 2026-12-07). The row means nothing else.
CREATE TABLE wal_restarts (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  restarts INTEGER NOT NULL
);
