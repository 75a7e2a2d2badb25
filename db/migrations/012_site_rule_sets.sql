-- Issue 15: the site's rule set as this bench pulled it from the hub. Kept apart from the bench's own rule_sets:
-- the site numbers its versions, the bench its own, and a bench that leaves the site falls back to its own.
-- Every version pulled stays, so an item routed by one can still be explained.
CREATE TABLE site_rule_sets (
  version    INTEGER PRIMARY KEY,
  body_json  TEXT NOT NULL,
  pulled_at  TEXT NOT NULL
);

-- One row: which site version routes here, when the hub last answered, and why the last answer was refused.
CREATE TABLE site_rule_set_state (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  current_version  INTEGER REFERENCES site_rule_sets (version),
  last_pulled_at   TEXT,
  error_key        TEXT,
  error            TEXT
);
INSERT INTO site_rule_set_state (id) VALUES (1);
