// The codes an operator scans, built from the same seeded generator as the cached database.
import tds from 'epc-tds';
import type { Product, Rma } from '../../contract/index.js';
import { rmaAt } from '../../fixtures/demo-data/generate.js';
import { mulberry32 } from '../../fixtures/demo-data/prng.js';
import { BENCH_NOW, BENCH_SEED } from '../lib/referenceDb.js';

const NOW_MS = Date.parse(BENCH_NOW);

/** RMA i of the cached database, rebuilt without reading it. */
export function benchRma(index: number, products: readonly Product[]): Rma {
  return rmaAt(BENCH_SEED, index, products, NOW_MS);
}

/** Distinct random RMA indexes from [0, count), reproducible. */
export function randomIndexes(count: number, n: number, seed: number): number[] {
  const rng = mulberry32(seed);
  const seen = new Set<number>();
  const want = Math.min(n, count);
  while (seen.size < want) seen.add(Math.floor(rng() * count));
  return [...seen];
}

/** GS1 element string as a 2D scanner sends it: AI 01 (GTIN) and AI 21 (serial). */
export function gs1Code(gtin14: string, serial: string): string {
  return `]C101${gtin14}21${serial}`;
}

/**
 * SGTIN-96 tag for a generated product. The generator's GTINs are "0" + a 7-digit JAN company prefix
 * + a 5-digit item number + check digit, so the partition is 5 and the item reference is the item number.
 */
export function sgtin96(gtin14: string, serial: number): string {
  const companyPrefix = Number(gtin14.slice(1, 8));
  const itemReference = Number(gtin14.slice(8, 13));
  return new tds.Sgtin96().setFilter(1).setPartition(5).setCompanyPrefix(companyPrefix).setItemReference(itemReference).setSerial(serial).toHexString().toUpperCase();
}
