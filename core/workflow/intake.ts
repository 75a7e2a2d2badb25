import { declarationView } from '../../db/repositories/customerPhotos.js';
import { randomUUID } from 'node:crypto';
import { Carrier, type DecodedCode, type ItemIdentity, type ItemMatch, type ParcelItemView, type ParcelLineView, type ParcelView } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import {
  findProductByGtin,
  findRmaByNumber,
  findRmaByOrder,
  findRmaBySoldSerial,
  findRmaByTracking,
  lineSaleDetails,
  openRmasWithSku,
  rmaLines,
  skusForGtin,
  type RmaRow,
} from '../../db/repositories/lookup.js';
import { findClosedParcelForRma, findOpenParcelForRma, findParcel, hasAnyRma, insertParcel, parcelOutcomes, receivedByLine, type ParcelRow } from '../../db/repositories/parcels.js';
import { findOperatorById } from '../../db/repositories/operators.js';
import { parcelWeightGrams } from '../../db/repositories/parcelWeight.js';
import { findItemByEpc, findItemByLpn, findItemBySerial, itemsOfParcel, type ItemRow } from '../../db/repositories/items.js';
import { appendEvent } from '../../db/repositories/outbox.js';
import { findManifestBag } from '../../db/repositories/totes.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { cleanScan } from '../../domain/identifiers/scan-text.js';
import { classifyCode } from '../../domain/identifiers/classify.js';
import { sameSerialOrLot } from '../../domain/flags/computeFlags.js';
import { StationError } from './errors.js';
import { MatchTokens, type MatchHolder } from './matchTokens.js';
import type { SignedInOperator } from './session.js';

export interface IntakeDeps {
  db: Db;
  stationId: string;
  onOutboxAppended: () => void;
  now?: () => Date;
  /** Texts the bench's scanners send for the GS1 separator (see classifyCode). */
  gsStandIns?: readonly string[];
  /** A new parcel was opened (the station weighs it when the bench has a scale). */
  onParcelOpened?: (parcelId: string) => void;
  /** Whether the WMS answered the last sync round; says why a station without reference data cannot match. */
  wmsOnline?: () => boolean;
  /** How long an item scan stays good for item.grade (default 30 minutes). */
  matchTtlMinutes?: number;
}

/** A parcel with its RMA's lines and what each has received: see IntakeService.lines. */
export interface ParcelLines {
  parcel: ParcelRow;
  /** Undefined for a blind return not linked to an RMA yet. */
  rma: RmaRow | undefined;
  /** '' for a blind return not linked yet. */
  rmaNumber: string;
  lines: ParcelLineView[];
}

/** Where a parcel-level scan leads: an RMA, or an existing parcel (an LPN of an item already graded). */
type ParcelTarget = { rma: RmaRow } | { parcelId: string };

const SERIAL_LIKE = /^[A-Za-z0-9][A-Za-z0-9\-./]{3,63}$/;

/** Codes that name a parcel (its label, its return, its order), never an item in it. */
const PARCEL_LABELS: ReadonlySet<DecodedCode['kind']> = new Set(['tracking', 'rma', 'order']);

function identityOf(code: DecodedCode): ItemIdentity {
  const id: ItemIdentity = {};
  if ((code.kind === 'gtin' || code.kind === 'gs1' || code.kind === 'epc') && code.gtin) id.gtin = code.gtin;
  if ((code.kind === 'gs1' || code.kind === 'epc') && code.serial) id.serial = code.serial;
  if (code.kind === 'gs1') {
    if (code.lot) id.lot = code.lot;
    if (code.expiry) id.expiry = code.expiry;
  }
  if (code.kind === 'epc') id.epc = code.normalized;
  return id;
}

export function itemView(i: ItemRow): ParcelItemView {
  return {
    itemId: i.id,
    lpn: i.lpn,
    sku: i.sku,
    kind: i.kind,
    lineId: i.rmaLineId,
    expectedSku: i.expectedSku,
    grade: i.grade,
    disposition: i.disposition,
    reviewStatus: i.reviewStatus,
  };
}

export class IntakeService {
  private readonly now: () => Date;
  /** Item scans waiting for their grade; grading and closing a parcel spend them. */
  readonly matches: MatchTokens;

  constructor(private readonly deps: IntakeDeps) {
    this.now = deps.now ?? (() => new Date());
    this.matches = new MatchTokens({ now: this.now, ...(deps.matchTtlMinutes !== undefined ? { ttlMinutes: deps.matchTtlMinutes } : {}) });
  }

  private classify(code: string, expect: 'parcel' | 'item'): DecodedCode {
    return classifyCode(code, { expect, ...(this.deps.gsStandIns ? { gsStandIns: this.deps.gsStandIns } : {}) });
  }

  /** Which return a parcel-level scan points to, by every identifier kind a parcel or its contents carry. */
  private findParcelTarget(code: string): ParcelTarget | undefined {
    const { db } = this.deps;
    const decoded = this.classify(code, 'parcel');
    const text = decoded.normalized;
    switch (decoded.kind) {
      case 'rma':
        return decoded.valid ? wrap(findRmaByNumber(db, text)) : undefined;
      case 'order':
        return decoded.valid ? wrap(findRmaByOrder(db, text)) : undefined;
      case 'tracking':
        if (!decoded.valid) {
          throw new StationError('INVALID_INPUT', 'error.trackingCheckDigit', 'The tracking number has a wrong check digit: scan it again or type it.', {
            code: text,
          });
        }
        return wrap(findRmaByTracking(db, text));
      case 'lpn': {
        const item = decoded.valid ? findItemByLpn(db, text) : undefined;
        return item ? { parcelId: item.parcelId } : undefined;
      }
      case 'bag': {
        // A return's bag from a consolidated tote: its manifest names the RMA (issue 17).
        const bag = decoded.valid ? findManifestBag(db, text) : undefined;
        return bag ? wrap(findRmaByNumber(db, bag.rmaNumber)) : undefined;
      }
      case 'tote':
        return undefined;
      case 'gtin':
      case 'gs1':
      case 'epc': {
        // The item itself was scanned at the parcel step (no label on the box): a unit seen before
        // leads to its parcel; otherwise an open RMA for that product.
        const ident = identityOf(decoded);
        const seen = (ident.epc ? findItemByEpc(db, ident.epc) : undefined) ?? (ident.serial ? findItemBySerial(db, ident.serial) : undefined);
        if (seen) return { parcelId: seen.parcelId };
        if (!ident.gtin) return undefined;
        return this.singleRmaFor(skusForGtin(db, ident.gtin), text);
      }
      case 'unknown': {
        // A bare serial number: a unit graded before, or the RMA line that sold it.
        if (!SERIAL_LIKE.test(text)) return undefined;
        const seen = findItemBySerial(db, text);
        return seen ? { parcelId: seen.parcelId } : wrap(findRmaBySoldSerial(db, text));
      }
    }
  }

  private singleRmaFor(skus: string[], text: string): ParcelTarget | undefined {
    const rmas = openRmasWithSku(this.deps.db, skus, 2);
    if (rmas.length > 1) {
      throw new StationError('CONFLICT', 'error.severalRmasForProduct', 'Several open returns contain this product. Search by order number, customer or phone.', {
        code: text,
      });
    }
    return wrap(rmas[0]);
  }

  openParcel(op: SignedInOperator, code: string, options: { splitShipment?: boolean | undefined } = {}): ParcelView {
    const { db, stationId } = this.deps;
    const target = this.findParcelTarget(code);
    if (!target) {
      const scanned = cleanScan(code).text;
      if (!hasAnyRma(db)) {
        // Nothing pulled yet: "no return matches" would be a guess, so say why and offer the blind-return path.
        const online = this.deps.wmsOnline?.() ?? false;
        throw new StationError(
          'NOT_FOUND',
          online ? 'error.noReferenceDataYet' : 'error.noReferenceDataOffline',
          online
            ? 'This station has not received the returns from the WMS yet. Receive the parcel as unexpected, or wait and scan again.'
            : 'This station has no return data yet and cannot reach the WMS. Receive the parcel as unexpected; a lead links it later.',
          { code: scanned },
        );
      }
      throw new StationError('NOT_FOUND', 'error.noRmaForCode', 'No return matches this code. Check the label, or search for the order.', {
        code: scanned,
      });
    }
    if ('parcelId' in target) {
      const parcel = findParcel(db, target.parcelId);
      if (parcel?.status === 'closed') this.refuseAlreadyReceived(parcel);
      return this.view(target.parcelId);
    }
    const { rma } = target;
    const existing = findOpenParcelForRma(db, rma.rmaNumber, stationId);
    if (existing) return this.view(existing);
    // A return scanned again after its parcel was closed is not a new parcel unless the operator says it is
    // (a split shipment): otherwise it would close as an empty box and tell the WMS so.
    const closed = findClosedParcelForRma(db, rma.rmaNumber);
    if (closed && !options.splitShipment) this.refuseAlreadyReceived(closed);

    const id = randomUUID();
    const receivedAt = this.now().toISOString();
    const scanned = cleanScan(code).text;
    db.transaction(() => {
      insertParcel(db, {
        id,
        rmaNumber: rma.rmaNumber,
        scannedCode: scanned,
        // The WMS's carrier text as the contract knows it; anything else is kept as no carrier.
        carrier: Carrier.safeParse(rma.carrier).data ?? null,
        operatorId: op.id,
        stationId,
        receivedAt,
      });
      appendEvent(db, 'parcel', id, {
        type: 'parcel.received',
        payload: { parcelId: id, rmaNumber: rma.rmaNumber, scannedCode: scanned, operatorId: op.id, stationId, receivedAt },
      }, receivedAt);
      appendAudit(db, { operatorId: op.id, action: 'parcel.received', entity: `parcel:${id}`, after: { rmaNumber: rma.rmaNumber, scanned }, at: receivedAt });
    })();
    this.deps.onOutboxAppended();
    this.deps.onParcelOpened?.(id);
    return this.view(id);
  }

  private refuseAlreadyReceived(parcel: ParcelRow): never {
    const operator = findOperatorById(this.deps.db, parcel.operatorId);
    throw new StationError(
      'CONFLICT',
      'error.returnAlreadyReceived',
      `Return ${parcel.rmaNumber ?? ''} was already received on ${parcel.receivedAt} at ${parcel.stationId} by ${operator?.name ?? parcel.operatorId}.`,
      {
        parcelId: parcel.id,
        rma: parcel.rmaNumber ?? '',
        receivedAt: parcel.receivedAt,
        closedAt: parcel.closedAt ?? '',
        bench: parcel.stationId,
        operator: operator?.name ?? parcel.operatorId,
      },
    );
  }

  /**
   * What matching and grading need of a parcel: the parcel, its RMA and its lines with what each has
   * received. view() adds what only the screen shows (items, outcomes, operator, weight, declaration);
   * an item scan and a grade read just this, since each runs while the operator waits.
   */
  lines(parcelId: string): ParcelLines {
    const { db } = this.deps;
    const parcel = findParcel(db, parcelId);
    if (!parcel) throw new StationError('NOT_FOUND', 'error.noParcel', 'That parcel is not open at this bench.');
    const rma = parcel.rmaNumber ? findRmaByNumber(db, parcel.rmaNumber) : undefined;
    if (!rma) {
      if (!parcel.blindReturn) throw new StationError('NOT_FOUND', 'error.noParcel', 'That parcel is not open at this bench.');
      return { parcel, rma: undefined, rmaNumber: '', lines: [] };
    }
    const received = receivedByLine(db, rma.rmaNumber);
    const lines: ParcelLineView[] = rmaLines(db, rma.rmaNumber).map((l) => ({
      lineId: l.id,
      sku: l.sku,
      gtin: l.gtin,
      productName: l.name,
      productNameJa: l.nameJa,
      category: l.category,
      priceJpy: l.priceJpy,
      ...(l.weightGrams > 0 ? { weightGrams: l.weightGrams } : {}),
      expectedQty: l.qty,
      receivedQty: received.get(l.id) ?? 0,
      reason: l.reason,
      reasonText: l.reasonText,
    }));
    return { parcel, rma, rmaNumber: rma.rmaNumber, lines };
  }

  view(parcelId: string): ParcelView {
    const { db } = this.deps;
    const { parcel, rma, lines } = this.lines(parcelId);
    const items = itemsOfParcel(db, parcelId).map(itemView);
    const outcomes = parcel.status === 'closed' ? parcelOutcomes(db, parcelId) : [];
    const blindReturn = parcel.blindReturn;
    const weightGrams = parcelWeightGrams(db, parcelId);
    const operator = findOperatorById(db, parcel.operatorId);
    const about = {
      ...(weightGrams === null ? {} : { weightGrams }),
      receivedAt: parcel.receivedAt,
      closedAt: parcel.closedAt,
      stationId: parcel.stationId,
      operatorName: operator?.name ?? parcel.operatorId,
    };
    if (!rma) {
      const { known } = parcel;
      return {
        parcelId: parcel.id,
        scannedCode: parcel.scannedCode,
        carrier: parcel.carrier,
        rmaNumber: '',
        orderNumber: known.orderNumber ?? '',
        customerName: known.customerName ?? '',
        status: parcel.status,
        lines: [],
        blindReturn,
        items,
        outcomes,
        ...about,
      };
    }
    return {
      parcelId: parcel.id,
      scannedCode: parcel.scannedCode,
      carrier: parcel.carrier,
      rmaNumber: rma.rmaNumber,
      orderNumber: rma.orderNumber,
      customerName: rma.customerName,
      ...(rma.returnChannel ? { returnChannel: rma.returnChannel } : {}),
      ...declarationView(db, rma.rmaNumber),
      status: parcel.status,
      lines,
      blindReturn,
      items,
      outcomes,
      ...about,
    };
  }

  /**
   * Matches an item-level scan (JAN/GTIN, GS1 element string or Digital Link, EPC) to a line of the
   * parcel's RMA, preferring a line that still expects items. What the scan says about the unit
   * (serial, lot, expiry, EPC) stays here behind a match token for item.grade, bound to this holder and line.
   */
  matchItem(holder: MatchHolder, parcelId: string, code: string): ItemMatch {
    const { db } = this.deps;
    const parcel = this.lines(parcelId);
    const decoded = this.classify(code, 'item');
    const text = decoded.normalized || cleanScan(code).text;
    if (decoded.kind === 'lpn') {
      const item = decoded.valid ? findItemByLpn(db, text) : undefined;
      if (item) throw new StationError('CONFLICT', 'error.alreadyGraded', `This item was already graded as ${item.lpn}.`, { lpn: item.lpn });
    }
    const identity = identityOf(decoded);
    if (!identity.gtin && decoded.kind !== 'lpn') {
      // A bare serial number: a unit seen before is refused as a duplicate, anything else needs the product barcode.
      const seen = identity.serial ? findItemBySerial(db, identity.serial) : SERIAL_LIKE.test(text) ? findItemBySerial(db, text) : undefined;
      if (seen) throw new StationError('CONFLICT', 'error.alreadyGraded', `This unit was already graded as ${seen.lpn}.`, { lpn: seen.lpn });
    }
    if (!identity.gtin && PARCEL_LABELS.has(decoded.kind) && decoded.valid) {
      // The next parcel's label, scanned before this one was closed: "scan the item's barcode" would send the
      // operator looking for a barcode on a box they have already finished.
      throw new StationError('CONFLICT', 'error.parcelLabelWhileOpen', 'This is a parcel label, not an item: close the parcel in hand with F8 first, then scan it again.', {
        code: text,
      });
    }
    if (!identity.gtin) {
      const invalidGtin = (decoded.kind === 'gtin' || decoded.kind === 'gs1') && !decoded.valid;
      throw new StationError(
        'INVALID_INPUT',
        invalidGtin ? 'error.itemCheckDigit' : 'error.notAnItemCode',
        invalidGtin
          ? 'The product barcode has a wrong check digit: scan it again.'
          : 'This is not a product barcode (JAN/GTIN, GS1 or RFID tag). Scan the barcode on the item.',
        { code: text },
      );
    }
    const { gtin } = identity;
    const candidates = parcel.lines.filter((l) => l.gtin === gtin);
    const line = this.lineThatSold(candidates.filter((l) => l.receivedQty < l.expectedQty), identity);
    const full = candidates[0];
    if (!line && full) {
      // One more than the return expects: the operator decides (extra item, or it came instead of another line) before grading.
      throw new StationError(
        'CONFLICT',
        'error.overReceipt',
        `Line ${full.sku} expects ${full.expectedQty} and already has ${full.receivedQty}: is this an extra item, or did it come instead of another line?`,
        { rma: parcel.rmaNumber, code: text, gtin, sku: full.sku, lineId: full.lineId, expected: full.expectedQty, received: full.receivedQty },
      );
    }
    if (!line) {
      const product = findProductByGtin(db, gtin);
      const params: Record<string, string> = { rma: parcel.rmaNumber, code: text, gtin };
      // The product's names too: the operator decides what it is by what it is called, not by its SKU.
      if (product) Object.assign(params, { sku: product.sku, name: product.name, nameJa: product.nameJa });
      throw new StationError(
        'NOT_FOUND',
        'error.itemNotOnRma',
        parcel.parcel.blindReturn
          ? 'This parcel has no return yet: grade the item as an extra item for the lead.'
          : `This item is not on return ${parcel.rmaNumber}. Grade it as a wrong or extra item.`,
        params,
      );
    }
    const matchToken = this.matches.issue({ ...holder, parcelId, lineId: line.lineId }, identity);
    return { parcelId, line, matchToken };
  }

  /**
   * Of the open lines of one product, the one that sold this unit's serial, else its lot, else the first: with
   * two lots of a lipstick on one return, the unit of the second lot must not land on the first line and be
   * flagged lot_mismatch there while the second line waits.
   */
  private lineThatSold(open: readonly ParcelLineView[], identity: ItemIdentity): ParcelLineView | undefined {
    const { serial, lot } = identity;
    if (open.length < 2 || (!serial && !lot)) return open[0];
    const sold = open.map((line) => ({ line, sale: lineSaleDetails(this.deps.db, line.lineId) }));
    const bySerial = serial ? sold.find(({ sale }) => sale?.serialNumber && sameSerialOrLot(sale.serialNumber, serial)) : undefined;
    const byLot = lot ? sold.find(({ sale }) => sale?.lot && sameSerialOrLot(sale.lot, lot)) : undefined;
    return (bySerial ?? byLot)?.line ?? open[0];
  }
}

function wrap(rma: RmaRow | undefined): ParcelTarget | undefined {
  return rma ? { rma } : undefined;
}
