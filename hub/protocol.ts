// The hub's own messages (enrolment, administration). The bench-facing event, blob and pull calls are
// the WMS contract itself (contract/wms.ts), so a bench's delivery code does not fork.
// These belong in contract/ once it moves to the top level; they live here until the hub has a client.
import { z } from 'zod';

export const StationId = z.string().regex(/^[A-Za-z0-9-]{1,16}$/, 'a station id is 1–16 letters, digits or hyphens');

/** Error codes of the hub's answers, sent as `error` of the WMS error body; i18n keys for the bench. */
export const HUB_ERRORS = {
  malformed: 'error.hub.malformedRequest',
  tooLarge: 'error.hub.bodyTooLarge',
  unauthenticated: 'error.hub.unauthenticated',
  foreignBench: 'error.hub.foreignBench',
  adminOnly: 'error.hub.adminOnly',
  badEnrolmentCode: 'error.hub.badEnrolmentCode',
  unknownBench: 'error.hub.unknownBench',
  wmsUnavailable: 'error.hub.wmsUnavailable',
  blobOffset: 'error.hub.blobOffset',
  blobHash: 'error.hub.blobHash',
  notFound: 'error.hub.notFound',
  shuttingDown: 'error.hub.shuttingDown',
  internal: 'error.hub.internal',
} as const;

/** Per-event refusals, sent as `error` of a rejected / out_of_order ack. */
export const HUB_EVENT_ERRORS = {
  otherStation: 'error.hub.eventOfAnotherBench',
  keyOfAnotherBench: 'error.hub.keyOfAnotherBench',
  sequenceUsed: 'error.hub.sequenceUsed',
  sequenceGap: 'error.hub.sequenceGap',
  photoMissing: 'error.hub.photoNotUploaded',
} as const;

export const EnrolmentCodeRequest = z.object({
  stationId: StationId,
  /** How long the code may be used. */
  ttlMinutes: z.number().int().min(1).max(7 * 24 * 60).default(24 * 60),
});
export type EnrolmentCodeRequest = z.infer<typeof EnrolmentCodeRequest>;

export const EnrolmentCode = z.object({ stationId: StationId, code: z.string(), expiresAt: z.string() });
export type EnrolmentCode = z.infer<typeof EnrolmentCode>;

export const EnrolRequest = z.object({ code: z.string().trim().min(8).max(64) });
export type EnrolRequest = z.infer<typeof EnrolRequest>;

/** A bench's credential: sent as `Authorization: Bearer <token>` on every call, as a WMS token is. */
export const BenchCredential = z.object({ siteId: z.string(), stationId: StationId, token: z.string() });
export type BenchCredential = z.infer<typeof BenchCredential>;

export const BenchSummary = z.object({
  stationId: StationId,
  enrolledAt: z.string(),
  revokedAt: z.string().nullable(),
  lastContactAt: z.string().nullable(),
});
export const BenchList = z.object({ benches: z.array(BenchSummary) });
export type BenchList = z.infer<typeof BenchList>;

export const HUB_PATHS = {
  enrol: '/hub/v1/enrol',
  /** The whole site copy of one resource as NDJSON, for a new bench to load before it follows by cursor. */
  snapshot: '/hub/v1/reference/:resource/snapshot',
  adminCodes: '/admin/v1/enrolment-codes',
  adminBenches: '/admin/v1/benches',
  adminRevoke: '/admin/v1/benches/:stationId/revoke',
  /** Walks the hub's own chain of site actions (issue 15). */
  adminSiteAuditVerify: '/admin/v1/site-audit/verify',
  healthz: '/healthz',
  readyz: '/readyz',
  metrics: '/metrics',
} as const;

/**
 * The last line of a snapshot stream (each line before it is one row's body, in cursor order). Its
 * presence says the stream is complete; `cursor` is where the bench's cursor pull continues (null: empty).
 */
export const SnapshotTrailer = z.object({
  end: z.literal(true),
  rows: z.number().int().min(0),
  cursor: z.object({ updatedSince: z.string(), afterId: z.string() }).nullable(),
});
export type SnapshotTrailer = z.infer<typeof SnapshotTrailer>;
