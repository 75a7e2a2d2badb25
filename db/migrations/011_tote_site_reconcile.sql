-- Issue 17, site-wide reconciliation: a bench behind a site hub asks it, when closing a tote, which bags other
-- benches already received. site_check says how the close reconciled ('site' or 'unreachable'; NULL: no hub);
-- tote_bags_elsewhere keeps the bags not flagged missing here because another bench had them.
ALTER TABLE totes ADD COLUMN site_check TEXT CHECK (site_check IN ('site','unreachable'));

CREATE TABLE tote_bags_elsewhere (
  tote_id     TEXT NOT NULL REFERENCES totes (tote_id),
  bag_code    TEXT NOT NULL,
  station_id  TEXT NOT NULL,
  PRIMARY KEY (tote_id, bag_code)
);
