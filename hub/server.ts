import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { Readable } from 'node:stream';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  BLOB_LIMITS,
  BlobContentRange,
  HUB_SNAPSHOT_FILE_PATH,
  ManifestPage,
  PullQuery,
  RmaLookupQuery,
  RmaLookupResult,
  Sha256,
  SNAPSHOT_FILE_ERRORS,
  SNAPSHOT_FILE_HEADERS,
  WMS_PATHS,
  type WmsErrorBody,
  type WmsHealth,
} from '../contract/index.js';
import { AUDIT_ANCHOR_PATH, AuditAnchor } from '../contract/auditAnchor.js';
import { AnchorRefusal, listAnchors, recordAnchor } from './anchors.js';
import { authenticateBench, createEnrolmentCode, enrolBench, listBenches, revokeBench } from './auth.js';
import { appendBlobChunk, BlobRefusal, blobState, readBlob } from './blobs.js';
import { createPool, type Pool } from './db.js';
import { IngestBatch } from './eventBatch.js';
import { ingestBatch } from './ingest.js';
import { newCounters, renderMetrics } from './metrics.js';
import { migrate } from './migrate.js';
import { startEmbeddedPostgres, type EmbeddedCluster } from './postgres.js';
import { EnrolmentCodeRequest, EnrolRequest, HUB_ERRORS, HUB_PATHS, StationId } from './protocol.js';
import { ensureSitePublication } from './replication.js';
import { verifySiteAudit } from './siteAudit.js';
import { createReferencePuller, referencePage, referenceSnapshot, type ReferencePuller } from './reference.js';
import { createRelay, type Relay, type RelayOptions } from './relay.js';
import { createSnapshotFiles, type SnapshotFiles } from './snapshotFile.js';
import { createWmsUpstream, UpstreamError } from './wmsUpstream.js';
import { registerSiteAdminRoutes, registerSiteBenchRoutes } from './siteRoutes.js';
import { isSiteUiPath, registerSiteUi, type SiteUiOptions } from './siteUi.js';
import { registerBenchStatusRoute } from './benchesAtAGlance.js';

export interface HubOptions {
  siteId: string;
  /** Any PostgreSQL 14+; absent: an embedded PostgreSQL in `dataDir`. */
  databaseUrl?: string;
  /** Where the embedded PostgreSQL keeps its cluster (`<dataDir>/pg`). */
  dataDir?: string;
  /** Port of the embedded PostgreSQL (0: any free one). */
  postgresPort?: number;
  host?: string;
  port?: number;
  /** Serve HTTPS with this certificate (chain) and key, PEM; benches pin its CA (RS_HUB_CA). Absent: plain HTTP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** The WMS the hub relays to and reads reference data from. */
  wms: { url: string; token: string; timeoutMs?: number };
  /** Bearer token of the admin calls (enrolment codes, revocation); absent: a random one, see `adminToken`. */
  adminToken?: string;
  relay?: Omit<RelayOptions, 'pool' | 'siteId' | 'wms' | 'log'>;
  /** The site's copy of RMAs and products: how often it is pulled from the WMS. */
  reference?: { intervalMs?: number; pageSize?: number };
  /** Where the prepared reference file is kept (default `<dataDir>/snapshot`, or a temp folder without a dataDir). */
  snapshotDir?: string;
  log?: (line: string) => void;
  /** Issue 15: the site's roster, sign-in and the hub UI (the renderer, when `staticDir` is given). */
  site?: Partial<SiteUiOptions>;
}

export interface Hub {
  url: string;
  port: number;
  siteId: string;
  adminToken: string;
  databaseUrl: string;
  pool: Pool;
  relay: Relay;
  reference: ReferencePuller;
  /** The site's prepared reference file for new benches. */
  snapshotFiles: SnapshotFiles;
  close(): Promise<void>;
}

class HubHttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    benchId: string;
  }
}

const bearer = (req: FastifyRequest): string => {
  const h = req.headers.authorization ?? '';
  return h.startsWith('Bearer ') ? h.slice(7).trim() : '';
};

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Starts PostgreSQL (embedded unless a URL is given), migrates, starts the relay, then listens. */
export async function startHub(options: HubOptions): Promise<Hub> {
  const log = options.log ?? ((line: string) => console.log(line));
  let cluster: EmbeddedCluster | null = null;
  let databaseUrl = options.databaseUrl;
  if (!databaseUrl) {
    if (!options.dataDir) throw new Error('the hub needs RS_HUB_DATABASE_URL or a data directory for its embedded PostgreSQL');
    cluster = await startEmbeddedPostgres({ dataDir: join(options.dataDir, 'pg'), ...(options.postgresPort ? { port: options.postgresPort } : {}) });
    databaseUrl = cluster.url;
  }
  const pool = createPool(databaseUrl);
  try {
    const m = await migrate(pool);
    if (m.applied.length > 0) log(`hub: database migrated to schema ${m.version}`);
    // The company database subscribes to this (docs/scale-out.md). A server not set up for logical
    // replication still runs the site; it only cannot feed the company yet.
    const published = await ensureSitePublication(pool, options.siteId).catch((err: unknown) => {
      log(`hub: the site's publication could not be created: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    });
    if (published === false) log('hub: wal_level is not logical, so this site publishes nothing to a company database');
  } catch (err) {
    await pool.end();
    await cluster?.stop();
    throw err;
  }

  const siteId = options.siteId;
  const adminToken = options.adminToken ?? randomBytes(24).toString('base64url');
  const wms = createWmsUpstream({ baseUrl: options.wms.url, token: options.wms.token, ...(options.wms.timeoutMs ? { timeoutMs: options.wms.timeoutMs } : {}) });
  const relay = createRelay({ pool, siteId, wms, ...options.relay, log });
  // Without a data directory the file lives in a temp folder of this run (removed at close).
  const tempSnapshotDir = options.snapshotDir || options.dataDir ? null : mkdtempSync(join(tmpdir(), 'rs-hub-snapshot-'));
  const snapshotFiles = createSnapshotFiles({ pool, databaseUrl, siteId, dir: options.snapshotDir ?? tempSnapshotDir ?? join(options.dataDir!, 'snapshot'), log });
  const reference = createReferencePuller({ pool, siteId, wms, ...options.reference, log, onPulled: () => void snapshotFiles.refresh() });
  const counters = newCounters();
  let closing = false;
  const siteOptions: SiteUiOptions = { lockAfterFailures: 5, lockMinutes: 5, idleMs: 30 * 60_000, ...options.site };

  const tls = options.tls;
  const app = Fastify({
    logger: false,
    bodyLimit: 8 * 1024 * 1024,
    return503OnClosing: false,
    // Fastify counts requests from 1 on every start: a failed call's id, quoted by a lead, must find one log line.
    genReqId: () => randomBytes(4).toString('hex'),
    // One code path for HTTP and HTTPS: an https.Server serves the same requests (Fastify's own `https`
    // option would type the whole instance differently).
    ...(tls ? { serverFactory: (handler: Parameters<typeof createHttpsServer>[1]) => createHttpsServer({ cert: tls.cert, key: tls.key }, handler) as unknown as HttpServer } : {}),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('benchId', '');
  // A request still running when the hub stops is answered, then its keep-alive connection is closed:
  // otherwise the drain would wait out the keep-alive timeout of every bench's connection.
  // A request that arrives while the hub stops is refused in the contract's error shape; the bench
  // keeps its events and sends them again (503 is retryable for it).
  app.addHook('onRequest', async (req) => {
    if (closing && req.url !== HUB_PATHS.healthz) throw new HubHttpError(503, HUB_ERRORS.shuttingDown, 'the hub is stopping; send again shortly');
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    if (closing) void reply.header('connection', 'close');
    return payload;
  });
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: BLOB_LIMITS.maxChunkBytes }, (_req, body, done) => done(null, body));

  const refuse = (reply: FastifyReply, status: number, code: string, message: string, details?: unknown): FastifyReply => {
    if (status === 401) void reply.header('www-authenticate', 'Bearer');
    counters.batchesRefused.set(code, (counters.batchesRefused.get(code) ?? 0) + 1);
    return reply.code(status).send({ error: code, details: { message, ...(details !== undefined ? { issues: details } : {}) } } satisfies WmsErrorBody);
  };

  app.setErrorHandler((err: FastifyError, req, reply) => {
    // The hub UI's paths answer in the call answer's shape, also when the hub stops or a path is unknown (siteUi.ts).
    if (isSiteUiPath(req.url)) return siteUi.answerError(err, req, reply);
    if (err instanceof HubHttpError) return refuse(reply, err.status, err.code, err.message, err.details);
    if (hasZodFastifySchemaValidationErrors(err)) return refuse(reply, 400, HUB_ERRORS.malformed, 'the request does not match the contract', err.validation);
    if (err.statusCode === 413) return refuse(reply, 413, HUB_ERRORS.tooLarge, err.message);
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return refuse(reply, err.statusCode, HUB_ERRORS.malformed, err.message);
    log(`hub: ${err.stack ?? err.message}`);
    return refuse(reply, 500, HUB_ERRORS.internal, 'the hub failed on this request');
  });
  app.setNotFoundHandler((req, reply) => isSiteUiPath(req.url) ? siteUi.notFound(req, reply) : refuse(reply, 404, HUB_ERRORS.notFound, `no such endpoint: ${req.method} ${req.url.split('?')[0]}`));

  // Operations.
  app.get(HUB_PATHS.healthz, async () => ({ status: 'ok' }));
  app.get(HUB_PATHS.readyz, async (_req, reply) => {
    if (closing) return reply.code(503).send({ status: 'shutting down' });
    try {
      await pool.query('SELECT 1');
      return { status: 'ready' };
    } catch (err) {
      return reply.code(503).send({ status: 'database unavailable', details: err instanceof Error ? err.message : String(err) });
    }
  });
  app.get(HUB_PATHS.metrics, async (_req, reply) => {
    const text = await renderMetrics(pool, siteId, counters, relay.stats());
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(text);
  });

  // Enrolment: the one call a bench makes without a credential.
  app.post(HUB_PATHS.enrol, { schema: { body: EnrolRequest } }, async (req, reply) => {
    const credential = await enrolBench(pool, siteId, req.body.code);
    if (!credential) return refuse(reply, 401, HUB_ERRORS.badEnrolmentCode, 'this enrolment code is unknown, used or expired');
    log(`hub: bench ${credential.stationId} enrolled`);
    return credential;
  });

  // Administration (supervisor): enrolment codes, revocation.
  await app.register(async (admin) => {
    admin.addHook('onRequest', async (req) => {
      if (!sameSecret(bearer(req), adminToken)) throw new HubHttpError(401, HUB_ERRORS.adminOnly, 'this call needs the hub admin token');
    });
    const a = admin.withTypeProvider<ZodTypeProvider>();
    a.post(HUB_PATHS.adminCodes, { schema: { body: EnrolmentCodeRequest } }, async (req) => createEnrolmentCode(pool, siteId, req.body.stationId, req.body.ttlMinutes));
    a.get(HUB_PATHS.adminBenches, async () => listBenches(pool, siteId));
    a.post(HUB_PATHS.adminRevoke, { schema: { params: z.object({ stationId: StationId }) } }, async (req, reply) => {
      if (!(await revokeBench(pool, siteId, req.params.stationId))) return refuse(reply, 404, HUB_ERRORS.unknownBench, `no bench ${req.params.stationId} at this site`);
      log(`hub: bench ${req.params.stationId} revoked`);
      return { stationId: req.params.stationId, revoked: true };
    });
    registerSiteAdminRoutes(admin, { pool, siteId });
    a.get(HUB_PATHS.adminSiteAuditVerify, async () => verifySiteAudit(pool, siteId));
  });

  // The WMS contract, served to enrolled benches.
  await app.register(async (bench) => {
    bench.addHook('onRequest', async (req) => {
      const id = await authenticateBench(pool, siteId, bearer(req));
      if (!id) throw new HubHttpError(401, HUB_ERRORS.unauthenticated, 'unknown or revoked bench credential');
      req.benchId = id;
    });
    const b = bench.withTypeProvider<ZodTypeProvider>();
    b.get(WMS_PATHS.health, async () => ({ status: 'ok', demo: false, version: 'rs-hub/1' }) satisfies WmsHealth);
    b.post(WMS_PATHS.events, { schema: { body: IngestBatch } }, async (req, reply) => {
      if (req.body.stationId !== req.benchId) {
        return refuse(reply, 403, HUB_ERRORS.foreignBench, `this credential belongs to bench ${req.benchId}, not ${req.body.stationId}`);
      }
      const { acks, accepted } = await ingestBatch(pool, siteId, req.benchId, req.body.events);
      counters.eventsAccepted.set(req.benchId, (counters.eventsAccepted.get(req.benchId) ?? 0) + accepted);
      for (const a of acks) {
        if (a.status === 'duplicate') counters.eventsDuplicate++;
        else if (a.status !== 'applied') counters.eventsRefused++;
      }
      if (accepted > 0) relay.notify();
      return { results: acks };
    });
    // Audit-chain anchors: a bench reports and reads only its own.
    b.post(AUDIT_ANCHOR_PATH, { schema: { body: AuditAnchor } }, async (req, reply) => {
      if (req.body.stationId !== req.benchId) {
        return refuse(reply, 403, HUB_ERRORS.foreignBench, `this credential belongs to bench ${req.benchId}, not ${req.body.stationId}`);
      }
      try {
        return await recordAnchor(pool, siteId, req.benchId, req.body.seq, req.body.hash);
      } catch (err) {
        if (!(err instanceof AnchorRefusal)) throw err;
        log(`hub: ${err.message}`);
        return refuse(reply, 409, err.code, err.message);
      }
    });
    b.get(AUDIT_ANCHOR_PATH, async (req) => listAnchors(pool, siteId, req.benchId));
    const blobParams = z.object({ sha256: Sha256 });
    b.head(WMS_PATHS.blob.replace('{sha256}', ':sha256'), { schema: { params: blobParams } }, async (req, reply) => {
      const st = await blobState(pool, siteId, req.params.sha256);
      void reply.header('cache-control', 'no-store');
      if (!st) return reply.code(404).send();
      return reply.headers({ 'upload-offset': String(st.offset), 'upload-length': String(st.length) }).code(200).send();
    });
    // Customers' declaration photos: the bench fetches them through its hub. A photo a bench uploaded is served
    // from the hub's own copy; any other is fetched from the WMS (which holds the customers' photos) and passed on.
    b.get(WMS_PATHS.blob.replace('{sha256}', ':sha256'), { schema: { params: blobParams }, exposeHeadRoute: false }, async (req, reply) => {
      let bytes = await readBlob(pool, siteId, req.params.sha256);
      if (!bytes) {
        try {
          bytes = await wms.getBlob(req.params.sha256);
        } catch (err) {
          if (!(err instanceof UpstreamError)) throw err;
          void reply.header('retry-after', String(Math.max(1, Math.ceil((err.retryAfterMs ?? 5000) / 1000))));
          return refuse(reply, 503, HUB_ERRORS.wmsUnavailable, `the hub cannot read the photo from the WMS: ${err.message}`);
        }
      }
      if (!bytes) return refuse(reply, 404, HUB_ERRORS.notFound, `no photo ${req.params.sha256} at this site or its WMS`);
      // Content-addressed: the bytes of a hash never change.
      return reply.type('application/octet-stream').header('cache-control', 'private, max-age=31536000, immutable').send(bytes);
    });
    b.put(
      WMS_PATHS.blob.replace('{sha256}', ':sha256'),
      { schema: { params: blobParams, headers: z.object({ 'content-range': BlobContentRange }) } },
      async (req, reply) => {
        const body = req.body;
        if (!Buffer.isBuffer(body)) return refuse(reply, 415, HUB_ERRORS.malformed, 'a blob chunk is sent as application/octet-stream');
        try {
          return await appendBlobChunk(pool, siteId, req.params.sha256, req.headers['content-range'], body);
        } catch (err) {
          if (!(err instanceof BlobRefusal)) throw err;
          void reply.header('upload-offset', String(err.offset));
          return refuse(reply, err.status, err.status === 409 ? HUB_ERRORS.blobOffset : HUB_ERRORS.blobHash, err.message);
        }
      },
    );
    // Reference data from the site's copy, so a WMS outage does not stop benches pulling what the hub holds.
    b.get(WMS_PATHS.products, { schema: { querystring: PullQuery } }, async (req) => referencePage(pool, siteId, 'products', req.query));
    b.get(WMS_PATHS.rmas, { schema: { querystring: PullQuery } }, async (req) => referencePage(pool, siteId, 'rmas', req.query));
    // Without this route a bench behind the hub read the 404 as "no manifests", and no tote could be worked there.
    // The rows were checked against the contract when pulled; the page is checked again on its way out.
    b.get(WMS_PATHS.manifests, { schema: { querystring: PullQuery } }, async (req) => ManifestPage.parse(await referencePage(pool, siteId, 'manifests', req.query)));
    // A new or wiped bench loads this in one go, then follows by cursor from its trailer.
    b.get(HUB_PATHS.snapshot, { schema: { params: z.object({ resource: z.enum(['products', 'rmas']) }) } }, async (req, reply) =>
      reply.type('application/x-ndjson; charset=utf-8').header('cache-control', 'no-store').send(Readable.from(referenceSnapshot(pool, siteId, req.params.resource))),
    );
    // The prepared reference file (hub/snapshotFile.ts), streamed from disk. None ready yet: 404, and the bench
    // takes the NDJSON stream above instead.
    b.get(HUB_SNAPSHOT_FILE_PATH, { exposeHeadRoute: false }, async (_req, reply) => {
      for (let attempt = 0; attempt < 2; attempt++) {
        const ready = snapshotFiles.current();
        if (!ready) break;
        // Opened before the answer starts: a rebuild that replaces the file meanwhile leaves this handle on the old one.
        const handle = await open(ready.file, 'r').catch((err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return null;
          throw err;
        });
        if (!handle) continue;
        return reply
          .type('application/vnd.sqlite3')
          .headers({ 'cache-control': 'no-store', 'content-length': String(ready.size), [SNAPSHOT_FILE_HEADERS.sha256]: ready.sha256, [SNAPSHOT_FILE_HEADERS.size]: String(ready.size) })
          .send(handle.createReadStream({ highWaterMark: 1 << 20 }));
      }
      return refuse(reply, 404, SNAPSHOT_FILE_ERRORS.notReady, 'the site hub has no prepared reference file yet; load the NDJSON snapshot');
    });
    // The online lookup for blind returns asks the WMS itself (it may know RMAs not pulled yet); the
    // bench falls back to its own copy when this fails.
    const proxy = async <T extends z.ZodType>(reply: FastifyReply, schema: T, path: string): Promise<z.infer<T> | FastifyReply> => {
      try {
        return await wms.get(schema, path);
      } catch (err) {
        if (!(err instanceof UpstreamError)) throw err;
        void reply.header('retry-after', String(Math.max(1, Math.ceil((err.retryAfterMs ?? 5000) / 1000))));
        return refuse(reply, 503, HUB_ERRORS.wmsUnavailable, `the hub cannot read from the WMS: ${err.message}`);
      }
    };
    b.get(WMS_PATHS.rmaLookup, { schema: { querystring: RmaLookupQuery } }, async (req, reply) =>
      proxy(reply, RmaLookupResult, `${WMS_PATHS.rmaLookup}?${new URLSearchParams({ q: req.query.q }).toString()}`),
    );
    registerSiteBenchRoutes(bench, { pool, siteId, benchId: (req) => req.benchId, lock: siteOptions, siteCall: (name, operatorId, input, requestId) => siteUi.callForBench(name, operatorId, input, requestId), siteCallError: (err, req, reply) => siteUi.answerError(err, req, reply) });
    registerBenchStatusRoute(bench, { pool, siteId, benchId: (req) => req.benchId });
  });
  const siteUi = registerSiteUi(app, { pool, siteId, wmsUrl: options.wms.url, relayError: () => relay.stats().lastError, relayNow: () => relay.notify(), log, stopping: () => closing, databaseUrl }, siteOptions);

  try {
    await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  } catch (err) {
    await pool.end();
    await cluster?.stop();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const host = options.host ?? '127.0.0.1';
  relay.start();
  reference.start();
  // A file kept from the last run is served again if still current; otherwise one is built now.
  void snapshotFiles.refresh();

  return {
    url: `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    siteId,
    adminToken,
    databaseUrl,
    pool,
    relay,
    reference,
    snapshotFiles,
    async close() {
      if (closing) return;
      closing = true;
      await siteUi.close();
      // In-flight requests finish (each batch is one transaction, so none is half written); new ones get 503.
      await app.close();
      log('hub: requests drained');
      await relay.stop();
      await reference.stop();
      await snapshotFiles.close();
      if (tempSnapshotDir) rmSync(tempSnapshotDir, { recursive: true, force: true });
      log('hub: relay stopped');
      await pool.end();
      await cluster?.stop();
      log('hub: stopped');
    },
  };
}
