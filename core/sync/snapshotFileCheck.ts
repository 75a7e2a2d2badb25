// The contract check of a prepared reference file, row by row, beside the copy (snapshotFileWorker.ts, role
// 'check'): each product, and each RMA with its lines and photo hashes, is rebuilt in contract shape, checked
// with zod, and written back to rows, which must equal the file's. That one round trip covers the types,
// the defaults, the line numbers and the photo rows; the keys must rise strictly (sorted, no duplicates), and
// the counts and cursors must be those the meta promises (a cursor ahead of the rows would skip changes).
import {
  lineRows,
  photoRows,
  Product,
  productFromRow,
  productRow,
  Rma,
  rmaFromRows,
  rmaRow,
  type PullCursor,
  type SnapshotFileMeta,
} from '../../contract/index.js';
import type { SnapshotFileReader } from '../../db/repositories/snapshotFile.js';

export class SnapshotRowRefused extends Error {}

const sameRow = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
const sameRows = (a: readonly (readonly unknown[])[], b: readonly (readonly unknown[])[]): boolean => a.length === b.length && a.every((r, i) => sameRow(r, b[i]!));

/** The later of two cursors in cursor order (updated_at, then id). */
const later = (a: PullCursor | null, b: PullCursor): PullCursor =>
  a === null || b.updatedSince > a.updatedSince || (b.updatedSince === a.updatedSince && b.afterId > a.afterId) ? b : a;
const sameCursor = (a: PullCursor | null, b: PullCursor | null): boolean => (a === null ? b === null : b !== null && a.updatedSince === b.updatedSince && a.afterId === b.afterId);

function refuse(what: string, issue: { path: PropertyKey[]; message: string } | undefined): never {
  throw new SnapshotRowRefused(`${what} does not match the contract (${issue ? `${issue.path.map(String).join('.') || '(row)'}: ${issue.message}` : 'written back, it differs from the file'})`);
}

/** What one checker found in its part of the file, for the parts to be put together (checkSnapshotParts). */
export interface SnapshotPartSummary {
  counts: SnapshotFileMeta['counts'];
  cursors: SnapshotFileMeta['cursors'];
  firstRma: string | null;
  lastRma: string | null;
}

/** Checks every row of the file; throws SnapshotRowRefused naming the first that fails. */
export function checkSnapshotRows(reader: SnapshotFileReader, meta: SnapshotFileMeta): void {
  checkSnapshotParts([checkSnapshotPart(reader)], meta);
}

/** Checks every row of one part of the file (snapshotFile.ts's slices); throws SnapshotRowRefused naming the first that fails. */
export function checkSnapshotPart(reader: SnapshotFileReader): SnapshotPartSummary {
  let products = 0;
  let prevSku: string | null = null;
  let productCursor: PullCursor | null = null;
  for (const row of reader.products()) {
    products++;
    const what = `the reference file's product row ${products}`;
    const parsed = Product.safeParse(productFromRow(row));
    if (!parsed.success) refuse(what, parsed.error.issues[0]);
    if (!sameRow(productRow(parsed.data), row)) refuse(what, undefined);
    if (prevSku !== null && !(parsed.data.sku > prevSku)) throw new SnapshotRowRefused(`${what} (${parsed.data.sku}) is not after ${prevSku}: the products are not in key order`);
    prevSku = parsed.data.sku;
    productCursor = later(productCursor, { updatedSince: parsed.data.updatedAt, afterId: parsed.data.sku });
  }

  const lines = reader.lines();
  const photos = reader.photos();
  let line = lines.next();
  let photo = photos.next();
  let rmas = 0;
  let lineCount = 0;
  let photoCount = 0;
  let prevRma: string | null = null;
  let firstRma: string | null = null;
  let rmaCursor: PullCursor | null = null;
  for (const row of reader.rmas()) {
    rmas++;
    const rmaNumber = row[0];
    const what = `the reference file's RMA row ${rmas} (${String(rmaNumber).slice(0, 40)})`;
    if (typeof rmaNumber !== 'string' || (prevRma !== null && !(rmaNumber > prevRma))) throw new SnapshotRowRefused(`${what} is not after ${prevRma}: the RMAs are not in key order`);
    // An RMA's lines and photos follow one another in its key order: one belonging to an earlier number has no RMA.
    const mine: unknown[][] = [];
    while (!line.done && line.value[1] === rmaNumber) {
      mine.push(line.value);
      line = lines.next();
    }
    const myPhotos: unknown[][] = [];
    while (!photo.done && photo.value[0] === rmaNumber) {
      myPhotos.push(photo.value);
      photo = photos.next();
    }
    if (!line.done && !(String(line.value[1]) > rmaNumber)) throw new SnapshotRowRefused(`the reference file has a line (${String(line.value[0])}) of no RMA in order before ${rmaNumber}`);
    if (!photo.done && !(String(photo.value[0]) > rmaNumber)) throw new SnapshotRowRefused(`the reference file has a photo hash of no RMA in order before ${rmaNumber}`);
    const parsed = Rma.safeParse(rmaFromRows(row, mine));
    if (!parsed.success) refuse(what, parsed.error.issues[0]);
    if (!sameRow(rmaRow(parsed.data), row) || !sameRows(lineRows(parsed.data), mine) || !sameRows(photoRows(parsed.data), myPhotos)) refuse(what, undefined);
    lineCount += mine.length;
    photoCount += myPhotos.length;
    firstRma ??= rmaNumber;
    prevRma = rmaNumber;
    rmaCursor = later(rmaCursor, { updatedSince: parsed.data.updatedAt, afterId: rmaNumber });
  }
  if (!line.done) throw new SnapshotRowRefused(`the reference file has a line (${String(line.value[0])}) of no RMA`);
  if (!photo.done) throw new SnapshotRowRefused('the reference file has a photo hash of no RMA');

  return { counts: { products, rmas, rmaLines: lineCount, customerPhotos: photoCount }, cursors: { products: productCursor, rmas: rmaCursor }, firstRma, lastRma: prevRma };
}

/** Puts the parts together: their RMAs in key order across parts, and the counts and cursors the meta promises. */
export function checkSnapshotParts(parts: readonly SnapshotPartSummary[], meta: SnapshotFileMeta): void {
  const counted = { products: 0, rmas: 0, rmaLines: 0, customerPhotos: 0 };
  let productCursor: PullCursor | null = null;
  let rmaCursor: PullCursor | null = null;
  let lastRma: string | null = null;
  for (const part of parts) {
    for (const k of Object.keys(counted) as (keyof typeof counted)[]) counted[k] += part.counts[k];
    if (part.cursors.products) productCursor = later(productCursor, part.cursors.products);
    if (part.cursors.rmas) rmaCursor = later(rmaCursor, part.cursors.rmas);
    if (part.firstRma !== null) {
      if (lastRma !== null && !(part.firstRma > lastRma)) throw new SnapshotRowRefused(`the reference file's RMA ${part.firstRma} is not after ${lastRma}: the RMAs are not in key order`);
      lastRma = part.lastRma;
    }
  }
  for (const [k, n] of Object.entries(counted)) {
    const promised = meta.counts[k as keyof typeof counted];
    if (n !== promised) throw new SnapshotRowRefused(`the reference file has ${n} rows of ${k}; its meta says ${promised}`);
  }
  if (!sameCursor(productCursor, meta.cursors.products) || !sameCursor(rmaCursor, meta.cursors.rmas)) {
    throw new SnapshotRowRefused("the reference file's cursors are not those of its last rows");
  }
}
