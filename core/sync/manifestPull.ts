// Inbound manifests of consolidated totes (issue 17), pulled by cursor after the RMAs so the bags' RMAs are known.
import type { PullCursor } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import { getManifestCursor, setManifestCursor, upsertManifests } from '../../db/repositories/totes.js';
import { WmsError, type WmsClient } from './wmsClient.js';

/**
 * A manifest page the station could not read. Its own kind of sync error so the sync bar names it; the page is
 * not applied and the cursor stays, so the next cycle asks for the same page again and nothing is lost.
 */
export class ManifestPageError extends WmsError {
  constructor(readonly detail: string) {
    super('malformed', `the WMS sent a manifest page this station cannot read (${detail})`, true);
    this.name = 'ManifestPageError';
  }
}

const advanced = (before: PullCursor | null, after: PullCursor): boolean =>
  before === null || after.updatedSince > before.updatedSince || (after.updatedSince === before.updatedSince && after.afterId > before.afterId);

/** Pulls every manifest page after the stored cursor; each page and its cursor commit together. Returns manifests applied. */
export async function pullManifests(db: Db, client: WmsClient, pageSize = 500): Promise<number> {
  const fetchPage = client.manifests?.bind(client);
  if (!fetchPage) return 0;
  let cursor = getManifestCursor(db);
  let applied = 0;
  for (;;) {
    let page;
    try {
      page = await fetchPage(cursor, pageSize);
    } catch (err) {
      if (err instanceof WmsError && err.kind === 'malformed') throw new ManifestPageError(err.message.replace(/^the WMS answer to \S+ /, ''));
      throw err;
    }
    const last = page.items.at(-1);
    const after = last ? { updatedSince: last.updatedAt, afterId: last.toteId } : null;
    // A WMS that hands back the same manifests again would loop forever.
    if (!after || !advanced(cursor, after)) return applied;
    const items = page.items;
    db.transaction(() => {
      upsertManifests(db, items);
      setManifestCursor(db, after);
    })();
    applied += items.length;
    cursor = after;
    if (page.next === null) return applied;
  }
}
