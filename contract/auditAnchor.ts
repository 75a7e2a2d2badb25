// An outside anchor for a bench's audit chain: the bench tells the hub where its chain's head is, so a
// later `returns-station audit verify` can see a tail cut off or a chain rebuilt, which the local hash
// chain alone cannot (a rebuilt chain is internally consistent).
import { z } from 'zod';

export const AUDIT_ANCHOR_PATH = '/hub/v1/audit/anchors';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'an audit hash is 64 lowercase hex digits');

/** The bench's audit-chain head: sequence number and hash of its newest audit_log entry. */
export const AuditAnchor = z
  .object({
    stationId: z.string().regex(/^[A-Za-z0-9-]{1,16}$/, 'a station id is 1–16 letters, digits or hyphens'),
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    hash: Sha256Hex,
  })
  .strict();
export type AuditAnchor = z.infer<typeof AuditAnchor>;

export const AuditAnchorReceipt = z.object({ seq: z.number().int(), status: z.enum(['recorded', 'unchanged']) });
export type AuditAnchorReceipt = z.infer<typeof AuditAnchorReceipt>;

/** Every anchor the hub holds for the authenticated bench, oldest first. */
export const AuditAnchorList = z.object({
  stationId: z.string(),
  anchors: z.array(z.object({ seq: z.number().int().min(1), hash: Sha256Hex, receivedAt: z.string() })),
});
export type AuditAnchorList = z.infer<typeof AuditAnchorList>;

/** Refusals of an anchor, sent as `error` of the WMS error body. */
export const AUDIT_ANCHOR_ERRORS = {
  /** The anchor's sequence is below one the hub already holds for this bench: its chain went backwards. */
  backwards: 'error.hub.anchorBackwards',
  /** The hub holds a different hash at this sequence: the bench's chain was rewritten. */
  conflict: 'error.hub.anchorConflict',
} as const;
