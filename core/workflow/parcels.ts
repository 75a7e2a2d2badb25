import { randomUUID } from 'node:crypto';
import type { ParcelOutcome, ParcelSearchResult, ParcelView, Rma, RmaCandidate } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import { findRmaByNumber, rmaLines, rmaNumbersWithSku, skusForGtin } from '../../db/repositories/lookup.js';
import { closeParcel, findOpenParcelForRma, findParcel, insertParcel, itemsOfRmaElsewhere, linkParcelToRma, parcelOutcomes, receivedByLine, reopenParcel, unlinkedBlindParcelIds } from '../../db/repositories/parcels.js';
import { attachItemToLine, itemsOfParcel } from '../../db/repositories/items.js';
import { getLocalRma } from '../../db/repositories/referenceData.js';
import { appendEvent } from '../../db/repositories/outbox.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { normalizeForSearch, normalizePhone, PHONE_QUERY_MIN_DIGITS, PHONE_SUFFIX_MIN_DIGITS, reversedDigits } from '../../domain/text/normalize.js';
import { rmaNumbersByOrderOrTracking, rmaRankKey, rmasByTermPrefix } from '../../db/repositories/rmaSearch.js';
import { indexQueuedRmas } from './searchIndex.js';
import { classifyCode } from '../../domain/identifiers/classify.js';
import { cleanScan } from '../../domain/identifiers/scan-text.js';
import { StationError } from './errors.js';
import type { IntakeService } from './intake.js';
import type { SignedInOperator } from './session.js';
import type { parcelCalls } from '../../contract/calls/parcel.js';
import { signedIn as op, type CallsOf, type HandlersFor } from './dispatch.js';

/** What the WMS lookup gives (online, with local fallback); injected so tests need no HTTP. */
export type RmaLookup = (q: string) => Promise<{ source: 'wms' | 'local'; rmas: Rma[]; fallbackReason?: string }>;

export interface ParcelServiceDeps {
  db: Db;
  stationId: string;
  intake: IntakeService;
  lookup: RmaLookup;
  onOutboxAppended: () => void;
  now?: () => Date;
}

export interface UnexpectedParcelInput {
  scannedCode?: string | undefined;
  orderNumber?: string | undefined;
  customerName?: string | undefined;
  phone?: string | undefined;
  note?: string | undefined;
}

type MatchedOn = RmaCandidate['matchedOn'][number];
const MAX_CANDIDATES = 20;
/** Queued RMAs a search indexes itself before it looks (about 30–60 ms at most); more are left to the indexer. */
const INDEX_BEFORE_SEARCH = 3_000;

export class ParcelService {
  private readonly now: () => Date;

  constructor(private readonly deps: ParcelServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Blind-return search by order or RMA number, customer name or kana (any width, hiragana or
   * katakana), phone, SKU or JAN. The WMS is asked when reachable (it may know RMAs this station has
   * not pulled); this station's copy is always searched too, with Japanese normalisation.
   */
  async search(query: string): Promise<ParcelSearchResult> {
    const { db } = this.deps;
    const q = query.trim();
    const online = await this.deps.lookup(q).catch((err: unknown) => ({
      source: 'local' as const,
      rmas: [] as Rma[],
      fallbackReason: err instanceof Error ? err.message : String(err),
    }));
    const found = new Map<string, { on: Set<MatchedOn>; score: number }>();
    const add = (rmaNumber: string, on: MatchedOn, score: number): void => {
      const f = found.get(rmaNumber) ?? { on: new Set<MatchedOn>(), score: 0 };
      f.on.add(on);
      f.score = Math.max(f.score, score);
      found.set(rmaNumber, f);
    };

    const text = normalizeForSearch(q);
    const upper = cleanScan(q).text.toUpperCase();
    // RMAs queued since the indexer last ran (a pull round, a WMS lookup just now) are indexed first, so the
    // search finds them; a longer queue (a first pull) is the background indexer's, and the answer says so.
    const waitingForIndex = indexQueuedRmas(db, INDEX_BEFORE_SEARCH);
    // Each source gives its best MAX_CANDIDATES + 1 (ranked as below): enough for the best 20 of them all.
    const limit = MAX_CANDIDATES + 1;
    let truncated = false;
    const addAll = (matches: readonly { rmaNumber: string }[], on: MatchedOn, score: (m: number) => number): void => {
      if (matches.length >= limit) truncated = true;
      matches.forEach((m, i) => add(m.rmaNumber, on, score(i)));
    };
    if (findRmaByNumber(db, upper)) add(upper, 'rma', 4);
    for (const m of rmaNumbersByOrderOrTracking(db, upper, upper.replace(/[\s-]/g, ''), limit)) add(m.rmaNumber, m.on, 4);
    const digits = normalizePhone(q);
    if (digits.length >= PHONE_QUERY_MIN_DIGITS) {
      const byPhone = rmasByTermPrefix(db, 'phone', digits, limit);
      addAll(byPhone, 'phone', (i) => (byPhone[i]!.exact ? 3 : 2));
      if (digits.length >= PHONE_SUFFIX_MIN_DIGITS) addAll(rmasByTermPrefix(db, 'phone_reversed', reversedDigits(digits), limit), 'phone', () => 1);
    }
    if (text.length >= 1) {
      for (const field of ['name', 'kana'] as const) {
        const byName = rmasByTermPrefix(db, field, text, limit);
        addAll(byName, field, (i) => (byName[i]!.exact ? 3 : 2));
      }
    }
    // A product code or SKU: RMAs with a line for it.
    const decoded = classifyCode(q, { expect: 'item' });
    const gtin = (decoded.kind === 'gtin' || decoded.kind === 'gs1' || decoded.kind === 'epc') && decoded.valid ? decoded.gtin : undefined;
    const skuMatches: { skus: string[]; on: MatchedOn } = gtin ? { skus: skusForGtin(db, gtin), on: 'gtin' } : { skus: [q], on: 'sku' };
    for (const sku of skuMatches.skus) {
      for (const rmaNumber of rmaNumbersWithSku(db, sku, MAX_CANDIDATES + 1)) add(rmaNumber, skuMatches.on, 3);
    }
    // The WMS matched on its side (the lookup stored its RMAs, so the rows above saw them). One it
    // found that none of our rules matches is kept last for a code, but not for a name: the WMS
    // matches names anywhere inside, and 「いとう」 must not bring サイトウ.
    const nameQuery = /[^\x00-\x7f]/.test(q);
    for (const rma of online.rmas) if (!found.has(rma.rmaNumber) && !nameQuery) found.set(rma.rmaNumber, { on: new Set(), score: 0 });

    // Ranked by their status and date alone; only the candidates shown are read whole (lines and all).
    const ranked = [...found].map(([rmaNumber, f]) => ({ rmaNumber, ...f, rank: rmaRankKey(db, rmaNumber) ?? online.rmas.find((r) => r.rmaNumber === rmaNumber) }));
    // Best match first; among equals, open RMAs (a returned parcel belongs to one still waiting), then newest.
    ranked.sort(
      (a, b) =>
        b.score - a.score ||
        Number(b.rank?.status === 'open') - Number(a.rank?.status === 'open') ||
        (b.rank?.createdAt ?? '').localeCompare(a.rank?.createdAt ?? ''),
    );
    const candidates: RmaCandidate[] = [];
    let more = truncated;
    for (const { rmaNumber, on } of ranked) {
      const rma = getLocalRma(db, rmaNumber) ?? online.rmas.find((r) => r.rmaNumber === rmaNumber);
      if (!rma) continue;
      if (candidates.length === MAX_CANDIDATES) {
        more = true;
        break;
      }
      const names = new Map(rmaLines(db, rmaNumber).map((l) => [l.id, l]));
      candidates.push({
        rmaNumber,
        orderNumber: rma.orderNumber,
        customerName: rma.customerName,
        customerKana: rma.customerKana,
        status: rma.status,
        createdAt: rma.createdAt,
        matchedOn: [...on],
        lines: rma.lines.map((l) => ({
          lineId: l.id,
          sku: l.sku,
          qty: l.qty,
          productName: names.get(l.id)?.name ?? l.sku,
          productNameJa: names.get(l.id)?.nameJa ?? l.sku,
        })),
      });
    }
    const result: ParcelSearchResult = { source: online.source, candidates, more, waitingForIndex };
    if (online.fallbackReason) result.fallbackReason = online.fallbackReason;
    return result;
  }

  /** Receives a parcel no RMA could be found for, with what is known; its items go to lead review. */
  receiveUnexpected(op: SignedInOperator, input: UnexpectedParcelInput): ParcelView {
    const { db, stationId } = this.deps;
    const id = randomUUID();
    const receivedAt = this.now().toISOString();
    const known: Record<string, string> = {};
    for (const k of ['orderNumber', 'customerName', 'phone', 'note'] as const) {
      const v = input[k]?.trim();
      if (v) known[k] = v;
    }
    const scanned = input.scannedCode ? cleanScan(input.scannedCode).text : '';
    const carrier = scanned ? classifyCode(scanned, { expect: 'parcel' }) : undefined;
    db.transaction(() => {
      insertParcel(db, {
        id,
        rmaNumber: null,
        scannedCode: scanned,
        carrier: carrier?.kind === 'tracking' && carrier.valid ? (carrier.carrier ?? null) : null,
        operatorId: op.id,
        stationId,
        receivedAt,
        blindReturn: true,
        known,
      });
      appendEvent(db, 'parcel', id, {
        type: 'parcel.received',
        payload: { parcelId: id, rmaNumber: null, blindReturn: true, known, scannedCode: scanned, operatorId: op.id, stationId, receivedAt },
      }, receivedAt);
      appendAudit(db, { operatorId: op.id, action: 'parcel.receivedUnexpected', entity: `parcel:${id}`, after: { scanned, known }, at: receivedAt });
    })();
    this.deps.onOutboxAppended();
    return this.deps.intake.view(id);
  }

  /** Blind returns not yet linked to an RMA, oldest first: the lead's to-do list. */
  listUnlinked(): ParcelView[] {
    return unlinkedBlindParcelIds(this.deps.db, 200).map((id) => this.deps.intake.view(id));
  }

  /**
   * A lead links a blind return to its RMA. Items already graded in the parcel whose SKU is on the RMA
   * now count against that line (up to its quantity); the others stay extra.
   */
  linkRma(op: SignedInOperator, parcelId: string, rmaNumber: string): ParcelView {
    const { db, stationId } = this.deps;
    const parcel = findParcel(db, parcelId);
    if (!parcel) throw new StationError('NOT_FOUND', 'error.noParcel', 'That parcel is not open at this bench.');
    if (!parcel.blindReturn || parcel.rmaNumber) {
      throw new StationError('CONFLICT', 'error.parcelAlreadyLinked', 'This parcel already belongs to a return.', { rma: parcel.rmaNumber ?? '' });
    }
    const rma = findRmaByNumber(db, rmaNumber);
    if (!rma) throw new StationError('NOT_FOUND', 'error.noRma', `Return ${rmaNumber} is not known at this station. Search for it first.`, { rma: rmaNumber });
    const linkedAt = this.now().toISOString();
    db.transaction(() => {
      if (!linkParcelToRma(db, parcelId, rma.rmaNumber, op.id, linkedAt)) {
        throw new StationError('CONFLICT', 'error.parcelAlreadyLinked', 'This parcel already belongs to a return.', { rma: rma.rmaNumber });
      }
      const received = receivedByLine(db, rma.rmaNumber);
      const lines = rmaLines(db, rma.rmaNumber);
      const matched: { itemId: string; lineId: string }[] = [];
      for (const item of itemsOfParcel(db, parcelId)) {
        if (item.kind !== 'extra') continue;
        const line = lines.find((l) => l.sku === item.sku && (received.get(l.id) ?? 0) < l.qty);
        if (!line) continue;
        attachItemToLine(db, item.id, line.id);
        received.set(line.id, (received.get(line.id) ?? 0) + 1);
        matched.push({ itemId: item.id, lineId: line.id });
      }
      appendEvent(db, 'parcel', parcelId, {
        type: 'parcel.linked',
        payload: { parcelId, rmaNumber: rma.rmaNumber, itemsMatched: matched, operatorId: op.id, stationId, linkedAt },
      }, linkedAt);
      appendAudit(db, {
        operatorId: op.id,
        action: 'parcel.linked',
        entity: `parcel:${parcelId}`,
        before: { rmaNumber: null },
        after: { rmaNumber: rma.rmaNumber, itemsMatched: matched },
        at: linkedAt,
      });
    })();
    this.deps.onOutboxAppended();
    return this.deps.intake.view(parcelId);
  }

  /**
   * Closes a parcel: expected vs received per line becomes outcome rows (extra, wrong, missing, empty box).
   * Lines still waiting (or an empty parcel) need `confirmUnreceived`: closing reports them to the WMS at once.
   */
  close(op: SignedInOperator, parcelId: string, options: { confirmUnreceived?: boolean | undefined } = {}): ParcelView {
    const { db, stationId } = this.deps;
    const parcel = this.deps.intake.view(parcelId);
    if (parcel.status !== 'open') throw new StationError('CONFLICT', 'error.parcelClosed', 'This parcel is already closed.');
    const items = itemsOfParcel(db, parcelId);
    const outcomes: ParcelOutcome[] = [];
    // A later parcel of a return already received elsewhere is not an empty box: the items came in the first one.
    const receivedBefore = parcel.rmaNumber ? itemsOfRmaElsewhere(db, parcel.rmaNumber, parcelId) > 0 : false;
    if (items.length === 0 && !receivedBefore) outcomes.push({ kind: 'empty_box', lineId: null, expectedSku: null, receivedSku: null, qty: 1, itemId: null });
    for (const i of items) {
      if (i.kind === 'extra') outcomes.push({ kind: 'extra', lineId: null, expectedSku: null, receivedSku: i.sku, qty: 1, itemId: i.id });
      if (i.kind === 'wrong') outcomes.push({ kind: 'wrong', lineId: i.rmaLineId, expectedSku: i.expectedSku, receivedSku: i.sku, qty: 1, itemId: i.id });
    }
    for (const l of parcel.lines) {
      const missing = l.expectedQty - l.receivedQty;
      if (missing > 0) outcomes.push({ kind: 'missing', lineId: l.lineId, expectedSku: l.sku, receivedSku: null, qty: missing, itemId: null });
    }
    const unreceived = outcomes.filter((o) => o.kind === 'missing' || o.kind === 'empty_box');
    if (unreceived.length > 0 && !options.confirmUnreceived) {
      const missing = unreceived.filter((o) => o.kind === 'missing').reduce((n, o) => n + o.qty, 0);
      throw new StationError('CONFLICT', 'error.closeNeedsConfirmation', 'Items of this return have not been received: confirm to close the parcel and report them missing.', {
        missing,
        emptyBox: unreceived.some((o) => o.kind === 'empty_box') ? 1 : 0,
      });
    }
    const closedAt = this.now().toISOString();
    const rmaNumber = parcel.rmaNumber || null;
    db.transaction(() => {
      if (!closeParcel(db, parcelId, closedAt, outcomes)) throw new StationError('CONFLICT', 'error.parcelClosed', 'This parcel is already closed.');
      appendEvent(db, 'parcel', parcelId, {
        type: 'parcel.closed',
        payload: { parcelId, rmaNumber, blindReturn: parcel.blindReturn ?? false, outcomes, operatorId: op.id, stationId, closedAt },
      }, closedAt);
      appendAudit(db, { operatorId: op.id, action: 'parcel.closed', entity: `parcel:${parcelId}`, before: { status: 'open' }, after: { status: 'closed', outcomes }, at: closedAt });
    })();
    this.deps.intake.matches.dropParcel(parcelId);
    this.deps.onOutboxAppended();
    return this.deps.intake.view(parcelId);
  }

  /** A lead reopens a parcel closed by mistake; the WMS is told its outcomes are withdrawn (parcel.reopened). */
  reopen(op: SignedInOperator, parcelId: string, reason: string | undefined): ParcelView {
    const { db, stationId } = this.deps;
    const parcel = findParcel(db, parcelId);
    if (!parcel) throw new StationError('NOT_FOUND', 'error.noParcel', 'That parcel is not open at this bench.');
    if (parcel.status !== 'closed') throw new StationError('CONFLICT', 'error.parcelNotClosed', 'This parcel is still open.');
    if (parcel.rmaNumber) {
      const other = findOpenParcelForRma(db, parcel.rmaNumber, stationId);
      if (other) throw new StationError('CONFLICT', 'error.otherParcelOpen', 'Another parcel of this return is open at this bench: close it first.', { rma: parcel.rmaNumber });
    }
    const withdrawn = parcelOutcomes(db, parcelId);
    const reopenedAt = this.now().toISOString();
    db.transaction(() => {
      if (!reopenParcel(db, parcelId)) throw new StationError('CONFLICT', 'error.parcelNotClosed', 'This parcel is still open.');
      appendEvent(db, 'parcel', parcelId, {
        type: 'parcel.reopened',
        payload: { parcelId, rmaNumber: parcel.rmaNumber, withdrawnOutcomes: withdrawn, reason: reason ?? null, operatorId: op.id, stationId, reopenedAt },
      }, reopenedAt);
      appendAudit(db, {
        operatorId: op.id,
        action: 'parcel.reopened',
        entity: `parcel:${parcelId}`,
        before: { status: 'closed', closedAt: parcel.closedAt ?? null, outcomes: withdrawn },
        after: { status: 'open', reason: reason ?? null },
        at: reopenedAt,
      });
    })();
    this.deps.onOutboxAppended();
    return this.deps.intake.view(parcelId);
  }
}

/** parcel.*: opening a parcel and matching its items (intake), and the rest of its lifecycle (this service). */
export function parcelHandlers(s: { intake: IntakeService; parcels: ParcelService }): HandlersFor<CallsOf<typeof parcelCalls>> {
  return {
    'parcel.open': (ctx, i) => s.intake.openParcel(op(ctx), i.code, { splitShipment: i.splitShipment }),
    'parcel.matchItem': (ctx, i) => s.intake.matchItem({ sessionKey: ctx.sessionKey, operatorId: op(ctx).id }, i.parcelId, i.code),
    'parcel.get': (_ctx, i) => s.intake.view(i.parcelId),
    'parcel.search': (_ctx, i) => s.parcels.search(i.q),
    'parcel.receiveUnexpected': (ctx, i) => s.parcels.receiveUnexpected(op(ctx), i),
    'parcel.listUnlinked': () => s.parcels.listUnlinked(),
    'parcel.linkRma': (ctx, i) => s.parcels.linkRma(op(ctx), i.parcelId, i.rmaNumber),
    'parcel.close': (ctx, i) => s.parcels.close(op(ctx), i.parcelId, { confirmUnreceived: i.confirmUnreceived }),
    'parcel.reopen': (ctx, i) => s.parcels.reopen(op(ctx), i.parcelId, i.reason),
  };
}
