// Consolidated inbound totes (issue 17): returns dropped at a store, a depot or a convenience store reach the DC
// in one tote or cage, each in its own bag with its own code. The WMS announces each tote with a manifest
// (which bags, which RMA each), pulled by cursor like RMAs; the bench reconciles what arrived against it.
import { z } from 'zod';
import type { Names } from './displayNames.js';
import { ParcelView } from './entities.js';
import { PullCursor } from './wms.js';

/** Tote or cage label: "TOTE-" / "CAGE-" + 3–16 letters or digits (domain/identifiers/tote.ts parses what scanners send). */
export const TOTE_ID_RE = /^(TOTE|CAGE)-[A-Z0-9]{3,16}$/;
/** Bag code: "BAG-" + 6–20 letters or digits. */
export const BAG_CODE_RE = /^BAG-[A-Z0-9]{6,20}$/;
/** RMA number as the WMS writes it; a manifest may still name one this station never received. */
const RMA_NUMBER_RE = /^RMA-\d{8}$/;

export const ToteId = z.string().regex(TOTE_ID_RE, 'a tote or cage id (TOTE-… / CAGE-…)');
export const BagCode = z.string().regex(BAG_CODE_RE, 'a bag code (BAG-…)');

/** Where a consolidated tote comes from. */
export const ToteOrigin = z.enum(['store', 'depot', 'convenience_store']);
export type ToteOrigin = z.infer<typeof ToteOrigin>;

export const ManifestBag = z.object({
  bagCode: BagCode,
  rmaNumber: z.string().regex(RMA_NUMBER_RE, 'RMA-########'),
});
export type ManifestBag = z.infer<typeof ManifestBag>;

/** One tote or cage as the WMS announces it. */
export const InboundManifest = z
  .object({
    toteId: ToteId,
    container: z.enum(['tote', 'cage']),
    origin: ToteOrigin,
    /** The store, depot or consolidation point, as the WMS names it. */
    originName: z.string().min(1).max(120),
    shippedAt: z.string().optional(),
    bags: z.array(ManifestBag).min(1).max(500),
    updatedAt: z.string().min(1),
  })
  .superRefine((m, ctx) => {
    // A bag listed twice would be counted missing or received twice at the bench.
    const seen = new Set<string>();
    m.bags.forEach((b, i) => {
      if (seen.has(b.bagCode)) ctx.addIssue({ code: 'custom', path: ['bags', i, 'bagCode'], message: `bag ${b.bagCode} is listed twice` });
      seen.add(b.bagCode);
    });
  });
export type InboundManifest = z.infer<typeof InboundManifest>;

export const ManifestPage = z.object({ items: z.array(InboundManifest), next: PullCursor.nullable() });
export type ManifestPage = z.infer<typeof ManifestPage>;

/**
 * A bag line at the bench. expected: on this tote's manifest, not scanned yet; received: scanned here (in this
 * tote or, for its own tote, found in another); missing: expected, and the tote was closed without it;
 * stray: scanned into this tote but the manifest puts it in another; unmanifested: no manifest names it.
 */
export const ToteBagState = z.enum(['expected', 'received', 'missing', 'stray', 'unmanifested']);
export type ToteBagState = z.infer<typeof ToteBagState>;

export const ToteBagView = z.object({
  bagCode: z.string(),
  rmaNumber: z.string().nullable(),
  /** False when the manifest names an RMA this station does not hold: the line says so. */
  rmaKnown: z.boolean(),
  state: ToteBagState,
  /** For a stray: the tote its manifest puts it in. For a bag of this tote received in another: that tote. */
  otherToteId: z.string().nullable(),
  parcelId: z.string().nullable(),
  scannedAt: z.string().nullable(),
  /**
   * Behind a site hub: the other bench that had received this bag when this bench closed the tote (the bag is
   * received, site-wide, and not flagged missing here). Absent or null when this bench received it or none did.
   */
  receivedAtStation: z.string().nullable().optional(),
});
export type ToteBagView = z.infer<typeof ToteBagView>;

export const ToteFlagCode = z.enum(['tote_bag_missing', 'tote_bag_stray', 'tote_bag_unmanifested']);
export type ToteFlagCode = z.infer<typeof ToteFlagCode>;

export const ToteView = z.object({
  toteId: z.string(),
  container: z.enum(['tote', 'cage']),
  origin: ToteOrigin,
  originName: z.string(),
  /** expected: announced, not opened at this bench yet. */
  status: z.enum(['expected', 'open', 'closed']),
  bags: z.array(ToteBagView),
  expectedCount: z.number().int().nonnegative(),
  /** Bags of this tote's manifest received (here or found in another tote). */
  receivedCount: z.number().int().nonnegative(),
  missingCount: z.number().int().nonnegative(),
  strayCount: z.number().int().nonnegative(),
  unmanifestedCount: z.number().int().nonnegative(),
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  stationId: z.string().nullable(),
  /**
   * How closing reconciled it: `site` against what every bench of the site had received (asked of the hub),
   * `unreachable` with this bench's scans only because the hub did not answer. Null (or absent) while open and
   * at a bench with no hub.
   */
  siteCheck: z.enum(['site', 'unreachable']).nullable().optional(),
  /** The flags closing raised (empty while open). */
  flags: z.array(z.object({ code: ToteFlagCode, bagCode: z.string() })),
});
export type ToteView = z.infer<typeof ToteView>;

/**
 * What a bag scan found, besides the return it opened: again (scanned before), stray (another tote's bag),
 * unmanifested (no manifest names it), rmaUnknown (the manifest names an RMA this station does not hold).
 */
export const ToteBagNotice = z.enum(['again', 'stray', 'unmanifested', 'rmaUnknown', 'receivedElsewhere']);
export type ToteBagNotice = z.infer<typeof ToteBagNotice>;

/** What one bag scan did: the bag's line, the tote after it, and the return it opened (null when none could be). */
export const ToteBagScan = z.object({
  tote: ToteView,
  bag: ToteBagView,
  parcel: ParcelView.nullable(),
  /** Everything the operator should know about this bag, most important first. */
  notices: z.array(ToteBagNotice),
  /** Values for the notices' sentences (tote, other tote, RMA, bag). */
  noticeParams: z.record(z.string(), z.string()),
});
export type ToteBagScan = z.infer<typeof ToteBagScan>;

export const ToteFlagView = z.object({
  id: z.number().int(),
  toteId: z.string(),
  code: ToteFlagCode,
  bagCode: z.string(),
  rmaNumber: z.string().nullable(),
  otherToteId: z.string().nullable(),
  origin: ToteOrigin.nullable(),
  originName: z.string().nullable(),
  stationId: z.string(),
  raisedAt: z.string(),
  status: z.enum(['pending', 'acknowledged']),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
});
export type ToteFlagView = z.infer<typeof ToteFlagView>;

export const TOTE_FLAG_NAMES: Names<ToteFlagCode> = {
  tote_bag_missing: { ja: 'トートの袋の不足', en: 'Bag missing from tote' },
  tote_bag_stray: { ja: '他トートの袋', en: "Another tote's bag" },
  tote_bag_unmanifested: { ja: 'マニフェスト外の袋', en: 'Bag not on any manifest' },
};

export const TOTE_ORIGIN_NAMES: Names<ToteOrigin> = {
  store: { ja: '店舗', en: 'Store' },
  depot: { ja: 'デポ・ロッカー', en: 'Depot / locker' },
  convenience_store: { ja: 'コンビニ集約拠点', en: 'Convenience-store consolidation point' },
};
