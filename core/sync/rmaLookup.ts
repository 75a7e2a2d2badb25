import type { Rma } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import { upsertRmas } from '../../db/repositories/referenceData.js';
import type { WmsClient } from './wmsClient.js';

export interface RmaLookupOutcome {
  source: 'wms' | 'local';
  rmas: Rma[];
  /** Why the WMS was not used, in plain words; absent when it answered. */
  fallbackReason?: string;
}

/**
 * Blind returns: ask the WMS (it may know RMAs this station has not pulled yet) and keep what it
 * returns locally. When it cannot answer, it adds nothing: the station's own copy is searched by the
 * blind search itself (core/workflow/parcels.ts, through its index), WMS or not.
 */
export async function lookupRmasForBlindReturn(db: Db, client: WmsClient, query: string): Promise<RmaLookupOutcome> {
  try {
    const { items } = await client.lookupRmas(query);
    // Stored through the same path as the pull, so an RMA with an open parcel is flagged, not overwritten.
    upsertRmas(db, items);
    return { source: 'wms', rmas: items };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { source: 'local', rmas: [], fallbackReason: `WMS lookup unavailable (${reason}); showing this station's copy` };
  }
}
