// Consolidated inbound totes at the bench (issue 17): open a tote from its label, receive its bags (each opens
// its return through the ordinary parcel path), close it with a reconciliation that leads review.
import type { SiteToteReceived, ToteBagNotice, ToteBagView, ToteBagScan, ToteFlagView, ToteView, WmsEventBody } from '../../contract/index.js';
import type { Db } from '../../db/connection.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { appendEvent } from '../../db/repositories/outbox.js';
import {
  acknowledgeToteFlag,
  bagsElsewhere,
  closeTote,
  findBagScan,
  findManifest,
  findManifestBag,
  findTote,
  findToteFlag,
  flagsOfTote,
  insertBagElsewhere,
  insertBagScan,
  insertTote,
  insertToteFlag,
  listToteFlags,
  manifestBags,
  scansInTote,
  scansOfManifestTote,
  setBagScanParcel,
  type ManifestRow,
} from '../../db/repositories/totes.js';
import { classifyCode } from '../../domain/identifiers/classify.js';
import { cleanScan } from '../../domain/identifiers/scan-text.js';
import type { HandlersFor } from './dispatch.js';
import { StationError } from './errors.js';
import type { IntakeService } from './intake.js';
import type { SignedInOperator } from './session.js';

export interface ToteServiceDeps {
  db: Db;
  stationId: string;
  /** The parcel path a bag's return is opened through, exactly as if its parcel had been scanned. */
  intake: Pick<IntakeService, 'openParcel'>;
  onOutboxAppended: () => void;
  /**
   * Behind a site hub: the bags of a tote every bench of the site had received (core/sync/siteTotes.ts). It
   * rejects when the hub cannot answer; closing then reconciles with this bench's scans alone and says so.
   */
  siteReceived?: (toteId: string) => Promise<SiteToteReceived>;
  log?: (msg: string, err?: unknown) => void;
  now?: () => Date;
}

/** Several benches may work one tote: each bench's part is its own aggregate, so their sequences never collide. */
export const toteAggregateId = (toteId: string, stationId: string): string => `${toteId}@${stationId}`;

export class ToteService {
  private readonly now: () => Date;

  constructor(private readonly deps: ToteServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  private toteIdOf(code: string): string {
    const decoded = classifyCode(code);
    if (decoded.kind !== 'tote' || !decoded.valid) {
      throw new StationError('INVALID_INPUT', 'error.tote.notToteLabel', 'This is not a tote or cage label (TOTE-… / CAGE-…).', { code: cleanScan(code).text });
    }
    return decoded.normalized;
  }

  private manifest(toteId: string): ManifestRow {
    const m = findManifest(this.deps.db, toteId);
    if (!m) {
      throw new StationError('NOT_FOUND', 'error.tote.noManifest', `No manifest for ${toteId} has reached this station. Set the tote aside and tell a lead.`, {
        tote: toteId,
      });
    }
    return m;
  }

  /** Opens the tote at this bench; scanned again (open or closed) it is only shown, never opened twice. */
  open(op: SignedInOperator, code: string): ToteView {
    const { db, stationId } = this.deps;
    const toteId = this.toteIdOf(code);
    this.manifest(toteId);
    if (findTote(db, toteId)) return this.view(toteId);
    const at = this.now().toISOString();
    const opened = db.transaction(() => {
      if (!insertTote(db, { toteId, openedBy: op.id, openedAt: at, stationId })) return false;
      const expectedBags = manifestBags(db, toteId).map((b) => b.bagCode);
      appendEvent(db, 'tote', toteAggregateId(toteId, stationId), { type: 'tote.opened', payload: { toteId, expectedBags, operatorId: op.id, stationId, openedAt: at } }, at);
      appendAudit(db, { operatorId: op.id, action: 'tote.opened', entity: `tote:${toteId}`, after: { expected: expectedBags.length }, at });
      return true;
    })();
    if (opened) this.deps.onOutboxAppended();
    return this.view(toteId);
  }

  get(toteId: string): ToteView {
    this.manifest(toteId);
    return this.view(toteId);
  }

  view(toteId: string): ToteView {
    const { db } = this.deps;
    const m = this.manifest(toteId);
    const tote = findTote(db, toteId);
    const closed = tote?.status === 'closed';
    const receivedOfManifest = new Map(scansOfManifestTote(db, toteId).map((s) => [s.bagCode, s]));
    const elsewhere = bagsElsewhere(db, toteId);
    const bags: ToteBagView[] = manifestBags(db, toteId).map((b) => {
      const scan = receivedOfManifest.get(b.bagCode);
      const atStation = scan ? null : (elsewhere.get(b.bagCode) ?? null);
      return {
        bagCode: b.bagCode,
        rmaNumber: b.rmaNumber,
        rmaKnown: b.rmaKnown,
        state: scan || atStation ? 'received' : closed ? 'missing' : 'expected',
        otherToteId: scan && scan.toteId !== toteId ? scan.toteId : null,
        parcelId: scan?.parcelId ?? null,
        scannedAt: scan?.scannedAt ?? null,
        receivedAtStation: atStation,
      };
    });
    const manifestCodes = new Set(bags.map((b) => b.bagCode));
    for (const s of scansInTote(db, toteId)) {
      if (manifestCodes.has(s.bagCode)) continue;
      bags.push({
        bagCode: s.bagCode,
        rmaNumber: s.rmaNumber,
        rmaKnown: s.manifestToteId !== null && (findManifestBag(db, s.bagCode)?.rmaKnown ?? false),
        state: s.manifestToteId === null ? 'unmanifested' : 'stray',
        otherToteId: s.manifestToteId,
        parcelId: s.parcelId,
        scannedAt: s.scannedAt,
        receivedAtStation: null,
      });
    }
    const count = (state: ToteBagView['state']) => bags.filter((b) => b.state === state).length;
    return {
      toteId,
      container: m.container,
      origin: m.origin,
      originName: m.originName,
      status: tote?.status ?? 'expected',
      bags,
      expectedCount: manifestCodes.size,
      receivedCount: count('received'),
      missingCount: count('missing'),
      strayCount: count('stray'),
      unmanifestedCount: count('unmanifested'),
      openedAt: tote?.openedAt ?? null,
      closedAt: tote?.closedAt ?? null,
      stationId: tote?.stationId ?? null,
      siteCheck: tote?.siteCheck ?? null,
      flags: flagsOfTote(db, toteId).map((f) => ({ code: f.code, bagCode: f.bagCode })),
    };
  }

  /**
   * A bag scanned with `toteInHand` (or alone: its manifest's tote is opened). The bag is recorded once, in its
   * own transaction before its return is opened, so a refusal from the parcel path loses nothing.
   */
  scanBag(op: SignedInOperator, toteInHand: string | undefined, code: string): ToteBagScan {
    const { db } = this.deps;
    const decoded = classifyCode(code);
    if (decoded.kind !== 'bag' || !decoded.valid) {
      throw new StationError('INVALID_INPUT', 'error.tote.notBagCode', 'This is not a bag code (BAG-…).', { code: cleanScan(code).text });
    }
    const bagCode = decoded.normalized;
    const manifestBag = findManifestBag(db, bagCode);
    const toteId = toteInHand ?? manifestBag?.toteId;
    if (!toteId) {
      throw new StationError('NOT_FOUND', 'error.tote.bagNeedsTote', `No manifest names bag ${bagCode}: scan the label of the tote it came in first.`, { bag: bagCode });
    }
    const tote = findTote(db, toteId);
    if (!tote) {
      if (toteInHand) throw new StationError('CONFLICT', 'error.tote.notOpen', `Tote ${toteId} is not open at this bench: scan its label first.`, { tote: toteId });
      this.open(op, toteId);
    } else if (tote.status === 'closed') {
      throw new StationError('CONFLICT', 'error.tote.closed', `Tote ${toteId} is already closed. Set bag ${bagCode} aside for a lead.`, { tote: toteId, bag: bagCode });
    }

    const notices: ToteBagNotice[] = [];
    const params: Record<string, string> = { tote: toteId, bag: bagCode };
    if (manifestBag) params.rma = manifestBag.rmaNumber;
    const before = findBagScan(db, bagCode);
    if (before) {
      notices.push(before.toteId === toteId ? 'again' : 'receivedElsewhere');
      if (before.toteId !== toteId) params.otherTote = before.toteId;
    } else {
      const at = this.now().toISOString();
      db.transaction(() => {
        insertBagScan(db, {
          bagCode,
          toteId,
          manifestToteId: manifestBag?.toteId ?? null,
          rmaNumber: manifestBag?.rmaNumber ?? null,
          operatorId: op.id,
          scannedAt: at,
        });
        appendAudit(db, { operatorId: op.id, action: 'tote.bagReceived', entity: `tote:${toteId}`, after: { bag: bagCode, manifestTote: manifestBag?.toteId ?? null }, at });
      })();
      if (!manifestBag) notices.push('unmanifested');
      else if (manifestBag.toteId !== toteId) {
        notices.push('stray');
        params.otherTote = manifestBag.toteId;
      }
    }
    if (manifestBag && !manifestBag.rmaKnown) notices.unshift('rmaUnknown');

    // The return itself: the same path as a scanned parcel label (a closed one is refused as already received).
    let parcel: ToteBagScan['parcel'] = null;
    if (manifestBag?.rmaKnown) {
      parcel = this.deps.intake.openParcel(op, bagCode);
      setBagScanParcel(db, bagCode, parcel.parcelId);
    }
    const view = this.view(toteId);
    const bag = view.bags.find((b) => b.bagCode === bagCode);
    if (!bag) throw new StationError('INTERNAL', 'error.internal', `bag ${bagCode} vanished from tote ${toteId}`);
    return { tote: view, bag, parcel, notices, noticeParams: params };
  }

  /**
   * Closes the tote at this bench: every expected bag not received becomes a missing flag, every stray and
   * unmanifested bag found in it a flag too, each with the tote as evidence; the WMS gets tote.closed with it all.
   * Behind a site hub, a bag another bench of the site had already received (by its delivered tote.closed) is
   * not missing: it is recorded as received there. What the hub cannot know yet (a bench still working its part)
   * is flagged: the first bench to close flags what no bench had closed with.
   */
  async close(op: SignedInOperator, toteId: string, confirmMissing: boolean): Promise<ToteView> {
    const { db, stationId } = this.deps;
    const tote = findTote(db, toteId);
    if (!tote) throw new StationError('CONFLICT', 'error.tote.notOpen', `Tote ${toteId} is not open at this bench: scan its label first.`, { tote: toteId });
    if (tote.status === 'closed') return this.view(toteId);
    const unscanned = this.view(toteId).bags.filter((b) => b.state === 'expected');
    if (unscanned.length > 0 && !confirmMissing) {
      throw new StationError('CONFLICT', 'error.tote.closeNeedsConfirmation', `${unscanned.length} bag(s) of ${toteId} were not scanned. Close it anyway?`, {
        tote: toteId,
        missing: unscanned.length,
        // i18next picks the bag / bags form from `count`.
        count: unscanned.length,
      });
    }
    // Asked before the transaction: a write transaction never waits on the network.
    const site = unscanned.length > 0 ? await this.askSite(toteId) : null;
    // Read again after the wait: a bag scanned meanwhile is received, not missing.
    const v = this.view(toteId);
    const elsewhere = new Map<string, string>();
    for (const b of site?.bags ?? []) if (b.stationId !== stationId && !elsewhere.has(b.bagCode)) elsewhere.set(b.bagCode, b.stationId);
    const expected = v.bags.filter((b) => b.state === 'expected');
    const missing = expected.filter((b) => !elsewhere.has(b.bagCode));
    const receivedElsewhere = expected.filter((b) => elsewhere.has(b.bagCode)).map((b) => ({ bagCode: b.bagCode, stationId: elsewhere.get(b.bagCode) ?? '' }));
    // With every bag scanned here there was nothing to ask the site about.
    const siteCheck = !this.deps.siteReceived ? null : site || unscanned.length === 0 ? 'site' : 'unreachable';
    const at = this.now().toISOString();
    const strays = v.bags.filter((b) => b.state === 'stray');
    const unmanifested = v.bags.filter((b) => b.state === 'unmanifested');
    const closed = db.transaction(() => {
      if (!closeTote(db, toteId, op.id, at, siteCheck)) return false;
      receivedElsewhere.forEach((b) => insertBagElsewhere(db, toteId, b.bagCode, b.stationId));
      const flag = (code: ToteFlagView['code'], b: ToteBagView) =>
        insertToteFlag(db, { toteId, code, bagCode: b.bagCode, rmaNumber: b.rmaNumber, otherToteId: b.otherToteId, stationId, raisedAt: at });
      missing.forEach((b) => flag('tote_bag_missing', b));
      strays.forEach((b) => flag('tote_bag_stray', b));
      unmanifested.forEach((b) => flag('tote_bag_unmanifested', b));
      const payload: Extract<WmsEventBody, { type: 'tote.closed' }>['payload'] = {
        toteId,
        received: v.bags.filter((b) => b.state === 'received' && b.otherToteId === null).map((b) => ({ bagCode: b.bagCode, rmaNumber: b.rmaNumber, parcelId: b.parcelId })),
        missing: missing.map((b) => ({ bagCode: b.bagCode, rmaNumber: b.rmaNumber ?? '' })),
        strays: strays.map((b) => ({ bagCode: b.bagCode, rmaNumber: b.rmaNumber, manifestToteId: b.otherToteId ?? '' })),
        unmanifested: unmanifested.map((b) => ({ bagCode: b.bagCode })),
        ...(receivedElsewhere.length > 0 ? { receivedElsewhere } : {}),
        operatorId: op.id,
        stationId,
        closedAt: at,
      };
      appendEvent(db, 'tote', toteAggregateId(toteId, stationId), { type: 'tote.closed', payload }, at);
      appendAudit(db, {
        operatorId: op.id,
        action: 'tote.closed',
        entity: `tote:${toteId}`,
        before: { status: 'open' },
        after: { status: 'closed', missing: missing.length, strays: strays.length, unmanifested: unmanifested.length, receivedElsewhere: receivedElsewhere.length, siteCheck },
        at,
      });
      return true;
    })();
    if (closed) this.deps.onOutboxAppended();
    return this.view(toteId);
  }

  /** The site's received bags of the tote; null with no hub, or when it did not answer (logged, then local). */
  private async askSite(toteId: string): Promise<SiteToteReceived | null> {
    if (!this.deps.siteReceived) return null;
    try {
      return await this.deps.siteReceived(toteId);
    } catch (err) {
      this.deps.log?.(`tote ${toteId}: the site hub did not answer; reconciled with this bench's scans only`, err);
      return null;
    }
  }

  flags(status: 'pending' | 'acknowledged' | 'all'): ToteFlagView[] {
    return listToteFlags(this.deps.db, status, 500);
  }

  acknowledge(op: SignedInOperator, id: number): ToteFlagView {
    const { db } = this.deps;
    const flag = findToteFlag(db, id);
    if (!flag) throw new StationError('NOT_FOUND', 'error.tote.noFlag', 'That tote flag is not known at this station.');
    const at = this.now().toISOString();
    db.transaction(() => {
      if (!acknowledgeToteFlag(db, id, op.id, at)) return;
      appendAudit(db, { operatorId: op.id, action: 'tote.flagAcknowledged', entity: `tote:${flag.toteId}`, after: { flag: flag.code, bag: flag.bagCode }, at });
    })();
    return findToteFlag(db, id) ?? flag;
  }
}

function op(ctx: { operator: SignedInOperator | null }): SignedInOperator {
  if (!ctx.operator) throw new Error('no operator on a call that requires sign-in');
  return ctx.operator;
}

type ToteCall = 'tote.open' | 'tote.get' | 'tote.scanBag' | 'tote.close' | 'tote.flags' | 'tote.acknowledgeFlag';

/** Handlers of the `tote.*` calls, for the composition root to spread into its map. */
export function toteHandlers(s: ToteService): HandlersFor<ToteCall> {
  return {
    'tote.open': (ctx, i) => s.open(op(ctx), i.code),
    'tote.get': (_ctx, i) => s.get(i.toteId),
    'tote.scanBag': (ctx, i) => s.scanBag(op(ctx), i.toteId, i.code),
    'tote.close': (ctx, i) => s.close(op(ctx), i.toteId, i.confirmMissing ?? false),
    'tote.flags': (_ctx, i) => s.flags(i.status),
    'tote.acknowledgeFlag': (ctx, i) => s.acknowledge(op(ctx), i.id),
  };
}
