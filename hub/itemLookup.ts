// An item of any bench of the site by its LPN (item.lookup at the hub): a lead scanning an item's label on the hub
// UI's Review screen, or on a bench's Review screen behind the hub, finds an item graded at another bench. The answer
// has the bench's own item.lookup shape, from the site's projection of graded items (site_items) and its events.
import { ItemLookup } from '../contract/index.js';
import { parseLpn } from '../domain/identifiers/rma.js';
import type { Pool } from './db.js';
import { SiteError } from './siteErrors.js';

interface Row {
  item_id: string;
  lpn: string;
  sku: string;
  station_id: string;
  kind: string;
  grade: string;
  disposition: string;
  destination: string;
  parcel_id: string;
  rma_number: string | null;
  review_status: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  graded_at: Date;
  operator_id: string;
  operator_name: string | null;
  product: { name?: string; nameJa?: string } | null;
  parcel_closed: boolean | null;
}

// Found by the label's index (hub migration 0015); the LPN also names its bench (LPN-<station id's letters and
// digits>-<7 digits>, domain/identifiers/rma.ts), and an item of another bench with the same label is not it. The
// parcel is closed when its latest close or reopen event is a close.
const SELECT_BY_LPN = `
  SELECT i.item_id, i.lpn, i.sku, i.station_id, i.kind, i.grade, i.disposition, i.destination, i.parcel_id, i.rma_number, i.review_status,
         COALESCE(rv.name, i.reviewed_by) AS reviewed_by, i.reviewed_at, i.graded_at, i.operator_id, op.name AS operator_name, p.body AS product,
         (SELECT e.type = 'parcel.closed' FROM events e
           WHERE e.site_id = i.site_id AND e.aggregate_type = 'parcel' AND e.aggregate_id = i.parcel_id AND e.type IN ('parcel.closed', 'parcel.reopened')
           ORDER BY e.sequence DESC LIMIT 1) AS parcel_closed
    FROM site_items i
    LEFT JOIN reference_rows p ON p.site_id = i.site_id AND p.resource = 'products' AND p.id = i.sku
    LEFT JOIN operators op ON op.site_id = i.site_id AND op.id = i.operator_id
    LEFT JOIN operators rv ON rv.site_id = i.site_id AND rv.id = i.reviewed_by
   WHERE i.site_id = $1 AND i.lpn = $3
     AND i.station_id IN (SELECT b.station_id FROM benches b WHERE b.site_id = $1 AND upper(regexp_replace(b.station_id, '[^A-Za-z0-9]', '', 'g')) = $2)
   LIMIT 1`;

/** The site's item with this LPN (any case, as parseLpn reads it); NOT_FOUND error.site.noItemForLpn otherwise. */
export async function lookupSiteItem(pool: Pool, siteId: string, code: string): Promise<ItemLookup> {
  const parsed = parseLpn(code);
  const notFound = (lpn: string) =>
    new SiteError('NOT_FOUND', 'error.site.noItemForLpn', `No item with the label ${lpn} has reached the site hub from any bench.`, { lpn });
  if (!parsed.ok) throw notFound(code);
  const r = await pool.query<Row>(SELECT_BY_LPN, [siteId, parsed.stationId, parsed.value]);
  const row = r.rows[0];
  if (!row) throw notFound(parsed.value);
  return ItemLookup.parse({
    itemId: row.item_id,
    lpn: row.lpn,
    sku: row.sku,
    name: row.product?.name ?? null,
    nameJa: row.product?.nameJa ?? null,
    kind: row.kind,
    grade: row.grade,
    disposition: row.disposition,
    destination: row.destination,
    parcelId: row.parcel_id,
    parcelStatus: row.parcel_closed === true ? 'closed' : 'open',
    rmaNumber: row.rma_number ?? '',
    reviewStatus: row.review_status,
    reviewedBy: row.reviewed_by,
    reviewedAt: row.reviewed_at,
    gradedAt: row.graded_at.toISOString(),
    operatorId: row.operator_id,
    operatorName: row.operator_name,
    // Labels are printed at benches; the hub has none to print again.
    labelPrinted: false,
    stationId: row.station_id,
  });
}
