-- The hub's first schema. Every table is keyed by site_id first, so several sites can share one
-- PostgreSQL, or be distributed by site_id (Citus) without changing a key.

-- Benches of the site and their credentials. A credential is a random token; only its SHA-256 is kept.
CREATE TABLE benches (
  site_id          text        NOT NULL,
  station_id       text        NOT NULL,
  token_hash       bytea       NOT NULL,
  enrolled_at      timestamptz NOT NULL DEFAULT now(),
  revoked_at       timestamptz,
  last_contact_at  timestamptz,
  PRIMARY KEY (site_id, station_id),
  UNIQUE (site_id, token_hash)
);

-- One-time enrolment codes a supervisor hands to a bench; hashed like credentials.
CREATE TABLE enrolment_codes (
  site_id      text        NOT NULL,
  code_hash    bytea       NOT NULL,
  station_id   text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,
  PRIMARY KEY (site_id, code_hash)
);

-- Photos uploaded by benches (content-addressed), relayed to the WMS before the event that names them.
CREATE TABLE blobs (
  site_id      text        NOT NULL,
  sha256       text        NOT NULL,
  length       integer     NOT NULL CHECK (length > 0),
  data         bytea       NOT NULL,
  complete_at  timestamptz,
  PRIMARY KEY (site_id, sha256)
);

-- Every event the hub accepted, as the bench sent it: the site's own record.
CREATE TABLE events (
  site_id            text        NOT NULL,
  idempotency_key    uuid        NOT NULL,
  station_id         text        NOT NULL,
  aggregate_type     text        NOT NULL,
  aggregate_id       text        NOT NULL,
  sequence           integer     NOT NULL,
  previous_sequence  integer,
  type               text        NOT NULL,
  payload            jsonb       NOT NULL,
  occurred_at        text        NOT NULL,
  accepted_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, idempotency_key),
  UNIQUE (site_id, aggregate_type, aggregate_id, sequence)
);

-- The last accepted sequence of each aggregate. Its row is locked while a batch decides, so two
-- benches touching one aggregate are put in one order. A row at 0 is only that lock's placeholder
-- (a batch whose events were all refused); it stands for "nothing accepted yet".
CREATE TABLE aggregate_heads (
  site_id         text    NOT NULL,
  aggregate_type  text    NOT NULL,
  aggregate_id    text    NOT NULL,
  last_sequence   integer NOT NULL,
  PRIMARY KEY (site_id, aggregate_type, aggregate_id)
);

-- The relay outbox: one row per accepted event, written in the same transaction. `id` is the
-- acceptance order, which the relay keeps per aggregate.
CREATE TABLE relay_outbox (
  site_id          text        NOT NULL,
  id               bigint      GENERATED ALWAYS AS IDENTITY,
  idempotency_key  uuid        NOT NULL,
  station_id       text        NOT NULL,
  aggregate_type   text        NOT NULL,
  aggregate_id     text        NOT NULL,
  state            text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts         integer     NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  accepted_at      timestamptz NOT NULL DEFAULT now(),
  delivered_at     timestamptz,
  PRIMARY KEY (site_id, id),
  UNIQUE (site_id, idempotency_key),
  FOREIGN KEY (site_id, idempotency_key) REFERENCES events (site_id, idempotency_key)
);
CREATE INDEX relay_outbox_open ON relay_outbox (site_id, id) WHERE state <> 'delivered';
-- "Is an earlier event of this aggregate still undelivered?", asked for every candidate of a relay batch.
CREATE INDEX relay_outbox_aggregate_open ON relay_outbox (site_id, aggregate_type, aggregate_id, id) WHERE state <> 'delivered';
