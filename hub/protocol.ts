// The hub's own messages (enrolment, administration). The bench-facing event, blob and pull calls are
// the WMS contract itself (contract/wms.ts), so a bench's delivery code does not fork.
// These belong in contract/ once it moves to the top level; they live here until the hub has a client.
import { z } from 'zod';
import { HUB_ENROL_PATH, HUB_SNAPSHOT_PATH } from '../contract/hub.js';

export const StationId = z.string().regex(/^[A-Za-z0-9-]{1,16}$/, 'a station id is 1–16 letters, digits or hyphens');

// The codes and the snapshot trailer are shared with the bench (contract/hub.ts).
export { BenchCredential, HUB_ERRORS, HUB_EVENT_ERRORS, SnapshotTrailer } from '../contract/hub.js';

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


export const BenchSummary = z.object({
  stationId: StationId,
  enrolledAt: z.string(),
  revokedAt: z.string().nullable(),
  lastContactAt: z.string().nullable(),
});
export const BenchList = z.object({ benches: z.array(BenchSummary) });
export type BenchList = z.infer<typeof BenchList>;

export const HUB_PATHS = {
  enrol: HUB_ENROL_PATH,
  /** The whole site copy of one resource as NDJSON, for a new bench to load before it follows by cursor. */
  snapshot: HUB_SNAPSHOT_PATH,
  adminCodes: '/admin/v1/enrolment-codes',
  adminBenches: '/admin/v1/benches',
  adminRevoke: '/admin/v1/benches/:stationId/revoke',
  /** Walks the hub's own chain of site actions (issue 15). */
  adminSiteAuditVerify: '/admin/v1/site-audit/verify',
  healthz: '/healthz',
  readyz: '/readyz',
  metrics: '/metrics',
} as const;
