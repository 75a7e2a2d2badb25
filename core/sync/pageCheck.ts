// Checking a bulk load's rows against the contract, shared by the bulk-load worker (products, snapshot lines)
// and the page validator (a first pull's RMA pages, bulkValidateWorker.ts), so both refuse with the same words.
import { z } from 'zod';
import { Product, PullCursor, Rma } from '../../contract/index.js';

/** The data broke the contract: the load is refused with the WMS's 'malformed' error. */
export class Malformed extends Error {}

export type Resource = 'products' | 'rmas';
const rowSchema = { products: Product, rmas: Rma } as const;
const PageEnvelope = z.object({ items: z.array(z.unknown()), next: PullCursor.nullable() });

/** The row's id for an error message, when it has one that reads like one. */
function idHint(row: unknown): string {
  if (typeof row !== 'object' || row === null) return '';
  const o = row as Record<string, unknown>;
  const id = o.rmaNumber ?? o.sku;
  return typeof id === 'string' ? ` (${id.slice(0, 40)})` : '';
}

export function checkRow(resource: Resource, row: unknown, where: string): Product | Rma {
  const parsed = rowSchema[resource].safeParse(row);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  throw new Malformed(
    `${where}${idHint(row)} does not match the contract (${first ? `${first.path.join('.') || '(row)'}: ${first.message}` : 'unknown'}); nothing of its batch was written`,
  );
}

/** A pull page's body (UTF-8 bytes) read and its shape checked; its rows are left for checkRow. */
export function readPage(bytes: Uint8Array, where: string): { items: unknown[]; next: PullCursor | null } {
  let value: unknown;
  try {
    // Buffer's decoder is the quicker of Node's two on pages of mostly Japanese text.
    value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    throw new Malformed(`${where} is not JSON`);
  }
  const envelope = PageEnvelope.safeParse(value);
  if (!envelope.success) {
    const first = envelope.error.issues[0];
    throw new Malformed(`${where} does not match the contract (${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'unknown'})`);
  }
  return envelope.data;
}

/** Every row of a page checked; the first that fails refuses the page. */
export function checkPage(resource: Resource, bytes: Uint8Array, where: string): { rows: (Product | Rma)[]; next: PullCursor | null } {
  const page = readPage(bytes, where);
  return { rows: page.items.map((row, i) => checkRow(resource, row, `${where}: row ${i + 1}`)), next: page.next };
}
