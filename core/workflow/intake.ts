import { randomUUID } from 'node:crypto';
import type { Carrier, ItemMatch, ParcelLineView, ParcelView } from '../contract/index.js';
import type { Db } from '../../db/connection.js';
import { findRmaByNumber, findRmaByOrder, findRmaByTracking, rmaLines, type RmaRow } from '../../db/repositories/lookup.js';
import { findParcel, insertParcel, receivedByLine } from '../../db/repositories/parcels.js';
import { appendEvent } from '../../db/repositories/outbox.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { cleanScan } from '../domain/identifiers/scan-text.js';
import { parseOrderNumber, parseRmaNumber } from '../domain/identifiers/rma.js';
import { parseTracking } from '../domain/identifiers/tracking.js';
import { toGtin14 } from '../domain/identifiers/gtin.js';
import { StationError } from './errors.js';
import type { SignedInOperator } from './session.js';

export interface IntakeDeps {
  db: Db;
  stationId: string;
  onOutboxAppended: () => void;
  now?: () => Date;
}

/** Which RMA a parcel-level scan points to, by the identifier kinds a parcel carries. */
function findRmaForParcelCode(db: Db, code: string): RmaRow | undefined {
  const { text } = cleanScan(code);
  const rma = parseRmaNumber(text);
  if (rma.ok) return findRmaByNumber(db, rma.value);
  const order = parseOrderNumber(text);
  if (order.ok) return findRmaByOrder(db, order.value);
  const tracking = parseTracking(text);
  if (tracking.ok) return findRmaByTracking(db, tracking.number);
  if (tracking.code === 'check_digit') {
    throw new StationError('INVALID_INPUT', 'error.trackingCheckDigit', 'The tracking number has a wrong check digit: scan it again or type it.', {
      code: text,
    });
  }
  return undefined;
}

export class IntakeService {
  private readonly now: () => Date;

  constructor(private readonly deps: IntakeDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  openParcel(op: SignedInOperator, code: string): ParcelView {
    const { db, stationId } = this.deps;
    const rma = findRmaForParcelCode(db, code);
    if (!rma) {
      throw new StationError('NOT_FOUND', 'error.noRmaForCode', 'No return matches this code. Check the label, or search for the order.', {
        code: cleanScan(code).text,
      });
    }
    const existing = db
      .prepare("SELECT id FROM parcels WHERE rma_number = ? AND station_id = ? AND status = 'open' ORDER BY received_at DESC LIMIT 1")
      .get(rma.rma_number, stationId) as { id: string } | undefined;
    if (existing) return this.view(existing.id);

    const id = randomUUID();
    const receivedAt = this.now().toISOString();
    const scanned = cleanScan(code).text;
    db.transaction(() => {
      insertParcel(db, {
        id,
        rma_number: rma.rma_number,
        scanned_code: scanned,
        carrier: rma.carrier,
        operator_id: op.id,
        station_id: stationId,
        received_at: receivedAt,
      });
      appendEvent(db, 'parcel', id, {
        type: 'parcel.received',
        payload: { parcelId: id, rmaNumber: rma.rma_number, scannedCode: scanned, operatorId: op.id, stationId, receivedAt },
      }, receivedAt);
      appendAudit(db, { operatorId: op.id, action: 'parcel.received', entity: `parcel:${id}`, after: { rmaNumber: rma.rma_number, scanned } });
    })();
    this.deps.onOutboxAppended();
    return this.view(id);
  }

  view(parcelId: string): ParcelView {
    const { db } = this.deps;
    const parcel = findParcel(db, parcelId);
    if (!parcel || !parcel.rma_number) throw new StationError('NOT_FOUND', 'error.noParcel', 'That parcel is not open at this bench.');
    const rma = findRmaByNumber(db, parcel.rma_number);
    if (!rma) throw new StationError('NOT_FOUND', 'error.noParcel', 'That parcel is not open at this bench.');
    const received = receivedByLine(db, rma.rma_number);
    const lines: ParcelLineView[] = rmaLines(db, rma.rma_number).map((l) => ({
      lineId: l.id,
      sku: l.sku,
      gtin: l.gtin,
      productName: l.name,
      productNameJa: l.name_ja,
      category: l.category,
      priceJpy: l.price_jpy,
      expectedQty: l.qty,
      receivedQty: received.get(l.id) ?? 0,
      reason: l.reason,
      reasonText: l.reason_text,
    }));
    return {
      parcelId: parcel.id,
      scannedCode: parcel.scanned_code,
      carrier: (parcel.carrier as Carrier | null) ?? null,
      rmaNumber: rma.rma_number,
      orderNumber: rma.order_number,
      customerName: rma.customer_name,
      status: parcel.status,
      lines,
    };
  }

  /** Matches an item-level scan to a line of the parcel's RMA, preferring a line that still expects items. */
  matchItem(parcelId: string, code: string): ItemMatch {
    const parcel = this.view(parcelId);
    const { text } = cleanScan(code);
    const gtin = toGtin14(text);
    if (!gtin) {
      throw new StationError('INVALID_INPUT', 'error.notAnItemCode', 'This is not a product barcode (JAN/GTIN). Scan the barcode on the item.', {
        code: text,
      });
    }
    const candidates = parcel.lines.filter((l) => l.gtin === gtin);
    const line = candidates.find((l) => l.receivedQty < l.expectedQty) ?? candidates[0];
    if (!line) {
      throw new StationError('NOT_FOUND', 'error.itemNotOnRma', `This item is not on return ${parcel.rmaNumber}. Put it aside for the lead.`, {
        rma: parcel.rmaNumber,
        code: text,
      });
    }
    return { parcelId, line };
  }
}
