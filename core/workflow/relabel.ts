import { Disposition, Grade, type RelabelItem } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { clearRelabel, listRelabel } from '../../db/repositories/siteSync.js';
import type { HandlersFor } from './dispatch.js';
import { StationError } from './errors.js';

/** Issue 15: the items a lead at the site hub re-routed after this bench labelled them. */
export function relabelHandlers(db: Db): HandlersFor<'review.relabelList' | 'review.relabelDone'> {
  return {
    'review.relabelList': () => ({
      items: listRelabel(db).map((r): RelabelItem => ({ ...r, grade: Grade.parse(r.grade), disposition: Disposition.parse(r.disposition) })),
    }),
    'review.relabelDone': (ctx, input) => {
      const by = ctx.operator;
      if (!by) throw new StationError('UNAUTHENTICATED', 'error.signInFirst', 'Sign in first: scan your badge.');
      const done = db.transaction(() => {
        const cleared = clearRelabel(db, input.itemId);
        if (cleared) appendAudit(db, { operatorId: by.id, action: 'review.relabelled', entity: `item:${input.itemId}` });
        return cleared;
      })();
      return { done };
    },
  };
}
