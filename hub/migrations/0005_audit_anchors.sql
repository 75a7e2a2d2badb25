-- Issue 15: an outside anchor for each bench's audit chain, and the hub's own audit of site actions.
-- (Planned as 0010; the migrator wants contiguous numbers, so the merger renumbers it after 0009.)

-- Every audit-chain head a bench reported. History is kept, not only the newest: a chain rewritten
-- before an older anchor is found by that older anchor. A row is added only when the head moved.
CREATE TABLE audit_anchors (
  site_id      text        NOT NULL,
  station_id   text        NOT NULL,
  seq          bigint      NOT NULL CHECK (seq > 0),
  hash         text        NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, station_id, seq)
);

-- The hub's hash chain of site actions (enrolment, revocation, roster, overrides, rule sets), one chain
-- per site. `at` and `details_json` are text so the hashed bytes are the stored bytes (jsonb reorders keys).
CREATE TABLE site_audit (
  site_id       text   NOT NULL,
  seq           bigint NOT NULL CHECK (seq > 0),
  at            text   NOT NULL,
  actor         text   NOT NULL,
  action        text   NOT NULL,
  entity        text   NOT NULL,
  details_json  text,
  prev_hash     text   NOT NULL,
  hash          text   NOT NULL,
  PRIMARY KEY (site_id, seq)
);

CREATE FUNCTION site_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'site_audit is append-only';
END $$;
CREATE TRIGGER site_audit_no_update BEFORE UPDATE OR DELETE ON site_audit FOR EACH ROW EXECUTE FUNCTION site_audit_append_only();
CREATE TRIGGER site_audit_no_truncate BEFORE TRUNCATE ON site_audit FOR EACH STATEMENT EXECUTE FUNCTION site_audit_append_only();
