-- Issue 15: one roster for the site. Operators are enrolled, disabled and reset here and pulled by every
-- bench by `rev` (a cursor like the reference data's). Every change that benches must see takes a new rev
-- under one advisory lock (hub/roster.ts), so revs become visible in order and a cursor never skips one.
-- PIN failures are counted here for the whole site; they do not move rev (benches need not pull them).
CREATE SEQUENCE roster_rev;

CREATE TABLE operators (
  site_id       text        NOT NULL,
  id            text        NOT NULL,
  badge         text        NOT NULL,
  name          text        NOT NULL,
  role          text        NOT NULL CHECK (role IN ('staff', 'lead', 'supervisor')),
  -- scrypt$N$salt$key, the bench's format (core/workflow/pin.ts), so a bench checks it offline as it is.
  pin_hash      text        NOT NULL,
  disabled_at   timestamptz,
  failed_pins   integer     NOT NULL DEFAULT 0,
  locked_until  timestamptz,
  rev           bigint      NOT NULL,
  enrolled_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, id),
  UNIQUE (site_id, badge)
);
CREATE INDEX operators_rev ON operators (site_id, rev);

-- Signed-in sessions of the hub UI (leads, supervisors in a browser). The cookie holds a random token;
-- only its SHA-256 is kept. last_activity_at moves only on an operator's own calls, never on polls.
CREATE TABLE site_sessions (
  site_id           text        NOT NULL,
  token_hash        bytea       NOT NULL,
  operator_id       text        NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  last_activity_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, token_hash),
  FOREIGN KEY (site_id, operator_id) REFERENCES operators (site_id, id) ON DELETE CASCADE
);
CREATE INDEX site_sessions_operator ON site_sessions (site_id, operator_id);
