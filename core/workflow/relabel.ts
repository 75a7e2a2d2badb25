import { Disposition, Grade, type PrintOutcome, type RelabelItem } from '../../contract/index.js';
import type { ItemLabel } from '../../contract/label.js';
import type { Db } from '../../db/connection.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { clearRelabel, listRelabel, relabelFacts } from '../../db/repositories/siteSync.js';
import type { Clock, LabelOutput } from '../ports.js';
import { signedIn, type HandlersFor } from './dispatch.js';
import { itemLabelOf } from './itemLabel.js';
import { StationError } from './errors.js';

export interface RelabelDeps {
  db: Db;
  labels: LabelOutput;
  stationId: string;
  now: Clock;
}

/** The label's revision: one per re-route, so a second R for the same decision is the queue's once-only job. */
const revisionOf = (since: string): string => `R${since.replace(/[^0-9]/g, '').slice(0, 17)}`;

/** Issue 15: the items a lead at the site hub re-routed after this bench labelled them. */
export function relabelHandlers(deps: RelabelDeps): HandlersFor<'review.relabelList' | 'review.relabelDone' | 'review.relabelPrint'> {
  const { db } = deps;
  return {
    'review.relabelList': () => ({
      items: listRelabel(db).map((r): RelabelItem => ({ ...r, grade: Grade.parse(r.grade), disposition: Disposition.parse(r.disposition) })),
    }),
    'review.relabelDone': (ctx, input) => {
      const by = signedIn(ctx);
      const done = db.transaction(() => {
        const cleared = clearRelabel(db, input.itemId);
        if (cleared) appendAudit(db, { operatorId: by.id, action: 'review.relabelled', entity: `item:${input.itemId}` });
        return cleared;
      })();
      return { done };
    },
    // The new label, with the decided disposition and destination; the row leaves the list once the label is
    // printed or queued (the queue prints a queued one when the printer is back), and stays when it failed.
    'review.relabelPrint': async (ctx, input) => {
      const by = signedIn(ctx);
      const facts = relabelFacts(db, input.itemId);
      if (!facts) throw new StationError('NOT_FOUND', 'error.relabel.notListed', 'This item is not on the relabel list (already relabelled?).', { itemId: input.itemId });
      const label: ItemLabel = {
        ...itemLabelOf(facts, { stationId: deps.stationId, printedAt: deps.now().toISOString(), language: input.language }),
        revision: revisionOf(facts.relabelSince),
      };
      const print: PrintOutcome = await deps.labels.print(label);
      const cleared = db.transaction(() => {
        const done = print.status !== 'failed' && clearRelabel(db, input.itemId);
        appendAudit(db, { operatorId: by.id, action: 'label.relabel', entity: `label:${facts.lpn}`, after: { status: print.status, disposition: label.disposition, destination: label.destination } });
        return done;
      })();
      return { print, done: cleared, labelSvg: deps.labels.preview(label) };
    },
  };
}
