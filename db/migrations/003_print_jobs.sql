-- Label print jobs, kept so a crash or a printer outage loses no label. A job caught in
-- 'sending' by a crash may have printed; the queue turns it into 'uncertain' on start
-- instead of resending it.
CREATE TABLE print_jobs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  printer TEXT NOT NULL,
  payload BLOB NOT NULL,
  description TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'printed', 'uncertain', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  printed_at INTEGER
);

-- The queue asks for jobs by state (with bound parameters, so a partial index would not apply).
CREATE INDEX print_jobs_state ON print_jobs (state, seq);
