// What a bench and the site hub share beyond the WMS contract: the snapshot a new bench bootstraps from,
// and the error codes a hub answers with (i18n keys, so the bench's sync bar can say them).
import { z } from 'zod';
import { SNAPSHOT_FILE_ERRORS } from './snapshotFile.js';

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

/** What the bench itself says about its hub connection (not sent by the hub). */
export const HUB_BENCH_ERRORS = {
  /** The hub's TLS certificate does not chain to the CA the bench pins (RS_HUB_CA). */
  certificateNotTrusted: 'error.hub.certificateNotTrusted',
} as const;

type ValueOf<T> = T[keyof T];
export type HubErrorKey = ValueOf<typeof HUB_ERRORS> | ValueOf<typeof HUB_EVENT_ERRORS> | ValueOf<typeof HUB_BENCH_ERRORS> | ValueOf<typeof SNAPSHOT_FILE_ERRORS>;

/** Every hub error key a bench can show, for the dictionaries' completeness test and for the bench to recognise one. */
export const HUB_ERROR_KEYS: readonly HubErrorKey[] = [
  ...Object.values(HUB_ERRORS),
  ...Object.values(HUB_EVENT_ERRORS),
  ...Object.values(HUB_BENCH_ERRORS),
  ...Object.values(SNAPSHOT_FILE_ERRORS),
];

export const isHubErrorKey = (code: string): code is HubErrorKey => (HUB_ERROR_KEYS as readonly string[]).includes(code);

export type SnapshotResource = 'products' | 'rmas';

/** The whole site copy of one resource as NDJSON, for a new bench to load before it follows by cursor. */
export const HUB_SNAPSHOT_PATH = '/hub/v1/reference/:resource/snapshot';
export const hubSnapshotPath = (resource: SnapshotResource): string => HUB_SNAPSHOT_PATH.replace(':resource', resource);

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

/** A bench exchanges a supervisor's one-time code for its credential here (the one call without one). */
export const HUB_ENROL_PATH = '/hub/v1/enrol';

/** A bench's credential: sent as `Authorization: Bearer <token>` on every call, as a WMS token is. */
export const BenchCredential = z.object({
  siteId: z.string(),
  stationId: z.string().regex(/^[A-Za-z0-9-]{1,16}$/, 'a station id is 1–16 letters, digits or hyphens'),
  token: z.string().min(16),
});
export type BenchCredential = z.infer<typeof BenchCredential>;
