import type { Db } from '../connection.js';
import { prepared } from './statements.js';

/** Keeps the first stable weight of a parcel: a later reading (another box on the scale) never overwrites it. */
export function recordParcelWeight(db: Db, parcelId: string, grams: number, at: string): boolean {
  const r = prepared(db, 'UPDATE parcels SET weight_grams = ?, weighed_at = ? WHERE id = ? AND weight_grams IS NULL').run(Math.max(0, Math.round(grams)), at, parcelId);
  return r.changes > 0;
}

export function parcelWeightGrams(db: Db, parcelId: string): number | null {
  const row = prepared(db, 'SELECT weight_grams FROM parcels WHERE id = ?').get(parcelId) as { weight_grams: number | null } | undefined;
  return row?.weight_grams ?? null;
}
