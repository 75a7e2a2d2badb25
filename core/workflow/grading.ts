import { randomUUID } from 'node:crypto';
import type { Grade, GradedItem, PrintOutcome, RuleSet } from '../contract/index.js';
import type { Db } from '../../db/connection.js';
import type { ItemLabel } from '../../native/labels/model.js';
import { insertItem, nextCounter } from '../../db/repositories/items.js';
import { appendEvent } from '../../db/repositories/outbox.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { formatLpn } from '../domain/identifiers/rma.js';
import { route } from '../domain/rules/route.js';
import { StationError } from './errors.js';
import type { IntakeService } from './intake.js';
import type { SignedInOperator } from './session.js';

/** Where labels go: an SVG for the screen and bytes for the bench printer. */
export interface LabelOutput {
  preview(label: ItemLabel): string;
  print(label: ItemLabel): Promise<PrintOutcome>;
  close?(): Promise<void>;
}

export interface GradingDeps {
  db: Db;
  stationId: string;
  intake: IntakeService;
  ruleSet: () => RuleSet;
  labels: LabelOutput;
  onOutboxAppended: () => void;
  now?: () => Date;
}

export class GradingService {
  private readonly now: () => Date;

  constructor(private readonly deps: GradingDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Grades one item: the item, its LPN, its routing and the WMS event commit together; then the label prints. */
  async grade(op: SignedInOperator, parcelId: string, lineId: string, grade: Grade): Promise<GradedItem> {
    const { db, stationId } = this.deps;
    const parcel = this.deps.intake.view(parcelId);
    if (parcel.status !== 'open') throw new StationError('CONFLICT', 'error.parcelClosed', 'This parcel is already closed.');
    const line = parcel.lines.find((l) => l.lineId === lineId);
    if (!line) throw new StationError('NOT_FOUND', 'error.lineNotInParcel', 'That line is not part of this return.');

    const ruleSet = this.deps.ruleSet();
    const routing = route(ruleSet, { grade, category: line.category, reason: line.reason, priceJpy: line.priceJpy });
    const itemId = randomUUID();
    const gradedAt = this.now().toISOString();

    const { lpn, eventId } = db.transaction(() => {
      const lpn = formatLpn(stationId, nextCounter(db, 'lpn'));
      insertItem(db, {
        id: itemId,
        lpn,
        parcel_id: parcelId,
        rma_line_id: lineId,
        sku: line.sku,
        grade,
        disposition: routing.disposition,
        destination: routing.destination,
        rule_id: routing.ruleId,
        rule_set_version: routing.ruleSetVersion,
        operator_id: op.id,
        graded_at: gradedAt,
      });
      const event = appendEvent(db, 'item', itemId, {
        type: 'item.graded',
        payload: {
          itemId,
          lpn,
          parcelId,
          rmaNumber: parcel.rmaNumber,
          lineId,
          sku: line.sku,
          grade,
          disposition: routing.disposition,
          destination: routing.destination,
          ruleId: routing.ruleId,
          ruleSetVersion: routing.ruleSetVersion,
          operatorId: op.id,
          stationId,
          gradedAt,
        },
      }, gradedAt);
      appendAudit(db, { operatorId: op.id, action: 'item.graded', entity: `item:${itemId}`, after: { lpn, grade, routing } });
      return { lpn, eventId: event.idempotencyKey };
    })();
    this.deps.onOutboxAppended();

    const label: ItemLabel = {
      lpn,
      sku: line.sku,
      productName: line.productNameJa,
      grade,
      disposition: routing.disposition,
      destination: routing.destination,
      rmaNumber: parcel.rmaNumber,
      stationId,
      printedAt: gradedAt,
    };
    const print = await this.deps.labels.print(label);
    return {
      itemId,
      lpn,
      parcelId,
      sku: line.sku,
      grade,
      routing,
      labelSvg: this.deps.labels.preview(label),
      print,
      outboxEventId: eventId,
    };
  }
}
