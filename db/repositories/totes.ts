import type { InboundManifest, PullCursor, ToteFlagCode, ToteFlagView, ToteOrigin } from '../../contract/index.js';
import type { Db } from '../connection.js';
import { prepared } from './statements.js';

/** The sync_cursors row of the manifest pull (products and RMAs have theirs). */
const MANIFEST_CURSOR = 'manifests';

export function getManifestCursor(db: Db): PullCursor | null {
  const row = prepared(db, 'SELECT updated_since AS updatedSince, after_id AS afterId FROM sync_cursors WHERE resource = ?').get(MANIFEST_CURSOR) as
    | PullCursor
    | undefined;
  return row ?? null;
}

/** Inside the transaction that applies the manifests, so the cursor never runs ahead of them. */
export function setManifestCursor(db: Db, cursor: PullCursor): void {
  prepared(
    db,
    `INSERT INTO sync_cursors (resource, updated_since, after_id) VALUES (?, ?, ?)
     ON CONFLICT (resource) DO UPDATE SET updated_since = excluded.updated_since, after_id = excluded.after_id`,
  ).run(MANIFEST_CURSOR, cursor.updatedSince, cursor.afterId);
}

/** A manifest replaces the tote's bag list whole; a bag the WMS moved to another tote moves with it. */
export function upsertManifests(db: Db, manifests: readonly InboundManifest[]): void {
  const head = prepared(
    db,
    `INSERT INTO inbound_manifests (tote_id, container, origin, origin_name, shipped_at, updated_at)
     VALUES (@toteId, @container, @origin, @originName, @shippedAt, @updatedAt)
     ON CONFLICT (tote_id) DO UPDATE SET container = excluded.container, origin = excluded.origin,
       origin_name = excluded.origin_name, shipped_at = excluded.shipped_at, updated_at = excluded.updated_at`,
  );
  const dropBags = prepared(db, 'DELETE FROM manifest_bags WHERE tote_id = ?');
  const bag = prepared(
    db,
    `INSERT INTO manifest_bags (bag_code, tote_id, line_no, rma_number) VALUES (?, ?, ?, ?)
     ON CONFLICT (bag_code) DO UPDATE SET tote_id = excluded.tote_id, line_no = excluded.line_no, rma_number = excluded.rma_number`,
  );
  db.transaction(() => {
    for (const m of manifests) {
      head.run({ toteId: m.toteId, container: m.container, origin: m.origin, originName: m.originName, shippedAt: m.shippedAt ?? null, updatedAt: m.updatedAt });
      dropBags.run(m.toteId);
      m.bags.forEach((b, i) => bag.run(b.bagCode, m.toteId, i + 1, b.rmaNumber));
    }
  })();
}

export interface ManifestRow {
  toteId: string;
  container: 'tote' | 'cage';
  origin: ToteOrigin;
  originName: string;
  shippedAt: string | null;
  updatedAt: string;
}

export function findManifest(db: Db, toteId: string): ManifestRow | undefined {
  return prepared(
    db,
    `SELECT tote_id AS toteId, container, origin, origin_name AS originName, shipped_at AS shippedAt, updated_at AS updatedAt
       FROM inbound_manifests WHERE tote_id = ?`,
  ).get(toteId) as ManifestRow | undefined;
}

export interface ManifestBagRow {
  bagCode: string;
  toteId: string;
  lineNo: number;
  rmaNumber: string;
  /** The station holds this RMA. */
  rmaKnown: boolean;
}

type RawBag = Omit<ManifestBagRow, 'rmaKnown'> & { rmaKnown: number };
const BAG_COLUMNS = `b.bag_code AS bagCode, b.tote_id AS toteId, b.line_no AS lineNo, b.rma_number AS rmaNumber,
  EXISTS (SELECT 1 FROM rmas r WHERE r.rma_number = b.rma_number) AS rmaKnown`;
const bagRow = (r: RawBag): ManifestBagRow => ({ ...r, rmaKnown: r.rmaKnown === 1 });

export function manifestBags(db: Db, toteId: string): ManifestBagRow[] {
  return (prepared(db, `SELECT ${BAG_COLUMNS} FROM manifest_bags b WHERE b.tote_id = ? ORDER BY b.line_no`).all(toteId) as RawBag[]).map(bagRow);
}

export function findManifestBag(db: Db, bagCode: string): ManifestBagRow | undefined {
  const r = prepared(db, `SELECT ${BAG_COLUMNS} FROM manifest_bags b WHERE b.bag_code = ?`).get(bagCode) as RawBag | undefined;
  return r ? bagRow(r) : undefined;
}

export interface ToteRow {
  toteId: string;
  status: 'open' | 'closed';
  openedBy: string;
  openedAt: string;
  closedBy: string | null;
  closedAt: string | null;
  stationId: string;
  /** How closing reconciled it behind a site hub; null with no hub (or while open). */
  siteCheck: 'site' | 'unreachable' | null;
}

export function findTote(db: Db, toteId: string): ToteRow | undefined {
  return prepared(
    db,
    `SELECT tote_id AS toteId, status, opened_by AS openedBy, opened_at AS openedAt, closed_by AS closedBy, closed_at AS closedAt, station_id AS stationId,
            site_check AS siteCheck
       FROM totes WHERE tote_id = ?`,
  ).get(toteId) as ToteRow | undefined;
}

/** False when the tote was already opened here (a second scan must not open it again). */
export function insertTote(db: Db, t: { toteId: string; openedBy: string; openedAt: string; stationId: string }): boolean {
  return (
    prepared(db, "INSERT OR IGNORE INTO totes (tote_id, status, opened_by, opened_at, station_id) VALUES (?, 'open', ?, ?, ?)").run(
      t.toteId,
      t.openedBy,
      t.openedAt,
      t.stationId,
    ).changes === 1
  );
}

/** False when it was not open (closed meanwhile, e.g. by a second click). */
export function closeTote(db: Db, toteId: string, by: string, at: string, siteCheck: 'site' | 'unreachable' | null = null): boolean {
  return (
    prepared(db, "UPDATE totes SET status = 'closed', closed_by = ?, closed_at = ?, site_check = ? WHERE tote_id = ? AND status = 'open'").run(by, at, siteCheck, toteId)
      .changes === 1
  );
}

/** A bag of the tote another bench of the site had received when this bench closed it (issue 17, site hub). */
export function insertBagElsewhere(db: Db, toteId: string, bagCode: string, stationId: string): void {
  prepared(db, 'INSERT OR IGNORE INTO tote_bags_elsewhere (tote_id, bag_code, station_id) VALUES (?, ?, ?)').run(toteId, bagCode, stationId);
}

/** Bag code → the bench that had it, for the tote's view. */
export function bagsElsewhere(db: Db, toteId: string): Map<string, string> {
  const rows = prepared(db, 'SELECT bag_code AS bagCode, station_id AS stationId FROM tote_bags_elsewhere WHERE tote_id = ?').all(toteId) as { bagCode: string; stationId: string }[];
  return new Map(rows.map((r) => [r.bagCode, r.stationId]));
}

export interface BagScanRow {
  bagCode: string;
  toteId: string;
  manifestToteId: string | null;
  rmaNumber: string | null;
  parcelId: string | null;
  operatorId: string;
  scannedAt: string;
}

const SCAN_COLUMNS = `bag_code AS bagCode, tote_id AS toteId, manifest_tote_id AS manifestToteId, rma_number AS rmaNumber,
  parcel_id AS parcelId, operator_id AS operatorId, scanned_at AS scannedAt`;

export function findBagScan(db: Db, bagCode: string): BagScanRow | undefined {
  return prepared(db, `SELECT ${SCAN_COLUMNS} FROM tote_bag_scans WHERE bag_code = ?`).get(bagCode) as BagScanRow | undefined;
}

/** False when the bag was already received here: a bag is received once. */
export function insertBagScan(db: Db, s: Omit<BagScanRow, 'parcelId'>): boolean {
  return (
    prepared(
      db,
      `INSERT OR IGNORE INTO tote_bag_scans (bag_code, tote_id, manifest_tote_id, rma_number, operator_id, scanned_at) VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(s.bagCode, s.toteId, s.manifestToteId, s.rmaNumber, s.operatorId, s.scannedAt).changes === 1
  );
}

export function setBagScanParcel(db: Db, bagCode: string, parcelId: string): void {
  prepared(db, 'UPDATE tote_bag_scans SET parcel_id = ? WHERE bag_code = ? AND parcel_id IS NULL').run(parcelId, bagCode);
}

/** Bags scanned into this tote, in the order they were scanned. */
export function scansInTote(db: Db, toteId: string): BagScanRow[] {
  return prepared(db, `SELECT ${SCAN_COLUMNS} FROM tote_bag_scans WHERE tote_id = ? ORDER BY scanned_at, bag_code`).all(toteId) as BagScanRow[];
}

/** Bags this tote's manifest names that were received here, in this tote or found in another. */
export function scansOfManifestTote(db: Db, toteId: string): BagScanRow[] {
  return prepared(db, `SELECT ${SCAN_COLUMNS} FROM tote_bag_scans WHERE manifest_tote_id = ?`).all(toteId) as BagScanRow[];
}

export interface NewToteFlag {
  toteId: string;
  code: ToteFlagCode;
  bagCode: string;
  rmaNumber: string | null;
  otherToteId: string | null;
  stationId: string;
  raisedAt: string;
}

export function insertToteFlag(db: Db, f: NewToteFlag): void {
  prepared(
    db,
    `INSERT OR IGNORE INTO tote_flags (tote_id, code, bag_code, rma_number, other_tote_id, station_id, raised_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(f.toteId, f.code, f.bagCode, f.rmaNumber, f.otherToteId, f.stationId, f.raisedAt);
}

const FLAG_COLUMNS = `f.id, f.tote_id AS toteId, f.code, f.bag_code AS bagCode, f.rma_number AS rmaNumber, f.other_tote_id AS otherToteId,
  m.origin, m.origin_name AS originName, f.station_id AS stationId, f.raised_at AS raisedAt, f.status,
  f.reviewed_by AS reviewedBy, f.reviewed_at AS reviewedAt`;

export function flagsOfTote(db: Db, toteId: string): ToteFlagView[] {
  return prepared(db, `SELECT ${FLAG_COLUMNS} FROM tote_flags f LEFT JOIN inbound_manifests m ON m.tote_id = f.tote_id WHERE f.tote_id = ? ORDER BY f.id`).all(
    toteId,
  ) as ToteFlagView[];
}

/** The leads' list: pending first, oldest first within each status. */
export function listToteFlags(db: Db, status: 'pending' | 'acknowledged' | 'all', limit: number): ToteFlagView[] {
  return prepared(
    db,
    `SELECT ${FLAG_COLUMNS} FROM tote_flags f LEFT JOIN inbound_manifests m ON m.tote_id = f.tote_id
      WHERE (@status = 'all' OR f.status = @status) ORDER BY f.status = 'acknowledged', f.raised_at, f.id LIMIT @limit`,
  ).all({ status, limit }) as ToteFlagView[];
}

export function findToteFlag(db: Db, id: number): ToteFlagView | undefined {
  return prepared(db, `SELECT ${FLAG_COLUMNS} FROM tote_flags f LEFT JOIN inbound_manifests m ON m.tote_id = f.tote_id WHERE f.id = ?`).get(id) as
    | ToteFlagView
    | undefined;
}

/** False when it was not pending (another lead was quicker). */
export function acknowledgeToteFlag(db: Db, id: number, by: string, at: string): boolean {
  return prepared(db, "UPDATE tote_flags SET status = 'acknowledged', reviewed_by = ?, reviewed_at = ? WHERE id = ? AND status = 'pending'").run(by, at, id).changes === 1;
}
