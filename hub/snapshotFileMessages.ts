// What the hub's thread and its snapshot-file worker (snapshotFileWorker.ts) say to each other; checked on arrival.
import { z } from 'zod';
import { SnapshotFileMeta } from '../contract/index.js';

export const SnapshotFileJob = z.discriminatedUnion('kind', [
  /** Build the site's file into `dir` from PostgreSQL, reading `pageRows` rows per FETCH. */
  z.object({ kind: z.literal('build'), databaseUrl: z.string(), siteId: z.string(), dir: z.string(), pageRows: z.number().int().min(1) }),
  /** Read the meta and hash of a file built earlier (at start, to serve it again without a build). */
  z.object({ kind: z.literal('inspect'), file: z.string() }),
]);
export type SnapshotFileJob = z.infer<typeof SnapshotFileJob>;

export const SnapshotFileResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), file: z.string(), sha256: z.string(), size: z.number().int(), meta: SnapshotFileMeta, ms: z.number() }),
  z.object({ ok: z.literal(false), message: z.string() }),
]);
export type SnapshotFileResult = z.infer<typeof SnapshotFileResult>;
