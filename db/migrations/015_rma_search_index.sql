-- The blind-return search finds an RMA by its customer's name, reading or phone as domain/text/normalize.ts
-- scores them (a whole name or one of its words, or the start of one; a phone number, its start or its last
-- digits). It read and normalised every RMA in JS: 10–15 s on a bench of 1M RMAs, with the station's thread
-- held throughout. This is a full-text index of the normalised terms, one document per RMA, searched by token
-- and by token prefix.
--
-- FTS5 rather than a B-tree of terms: after a first pull a million RMAs are indexed in small transactions beside
-- the operators' work, and each small transaction of random inserts into a B-tree of ~8M terms rewrites the
-- pages it touches; FTS5 appends a segment per transaction and merges them as it goes (a 1M trial: 23 s of CPU
-- in 200-RMA transactions). The B-tree trial was not a fair comparison (it also synced every commit and walked
-- the queue with a bad plan), so the difference was not measured. Contentless: the text is in `rmas`.
--
-- The normalisation (NFKC, hiragana to katakana) is JS, so the documents are written by the station
-- (core/workflow/searchIndex.ts), not here: a trigger only queues each RMA whose name, reading or phone came or
-- changed, and the indexer works through the queue in slices; a search indexes a few thousand queued RMAs
-- itself first and says how many are left when more are.
-- The terms come normalised; the tokenizer must not fold them further (é stays é, as nameMatchScore has it).
CREATE VIRTUAL TABLE rma_search USING fts5(
  name, kana, phone, phone_reversed,
  content = '', contentless_delete = 1, prefix = '1 2', tokenize = 'unicode61 remove_diacritics 0'
);

-- The document of each RMA. Its own INTEGER PRIMARY KEY, which VACUUM keeps, where the rowid of `rmas` (keyed by
-- its text) could be renumbered. Documents are numbered as RMAs are indexed, so a higher one is a newer RMA.
CREATE TABLE rma_search_docs (doc INTEGER PRIMARY KEY, rma_number TEXT NOT NULL UNIQUE);

CREATE TABLE rma_search_pending (rma_number TEXT PRIMARY KEY) WITHOUT ROWID;

-- NOT EXISTS rather than INSERT OR IGNORE: inside an upsert (INSERT … ON CONFLICT DO UPDATE, as writeRma is) the
-- outer statement's conflict handling overrides the trigger's OR IGNORE, and a second queueing failed the upsert.
CREATE TRIGGER rmas_search_inserted AFTER INSERT ON rmas BEGIN
  INSERT INTO rma_search_pending (rma_number) SELECT NEW.rma_number WHERE NOT EXISTS (SELECT 1 FROM rma_search_pending WHERE rma_number = NEW.rma_number);
END;
CREATE TRIGGER rmas_search_changed AFTER UPDATE OF customer_name, customer_kana, customer_phone ON rmas
  WHEN OLD.customer_name IS NOT NEW.customer_name OR OLD.customer_kana IS NOT NEW.customer_kana OR OLD.customer_phone IS NOT NEW.customer_phone
BEGIN
  INSERT INTO rma_search_pending (rma_number) SELECT NEW.rma_number WHERE NOT EXISTS (SELECT 1 FROM rma_search_pending WHERE rma_number = NEW.rma_number);
END;
CREATE TRIGGER rmas_search_deleted AFTER DELETE ON rmas BEGIN
  DELETE FROM rma_search WHERE rowid = (SELECT doc FROM rma_search_docs WHERE rma_number = OLD.rma_number);
  DELETE FROM rma_search_docs WHERE rma_number = OLD.rma_number;
  DELETE FROM rma_search_pending WHERE rma_number = OLD.rma_number;
END;

INSERT INTO rma_search_pending (rma_number) SELECT rma_number FROM rmas;
