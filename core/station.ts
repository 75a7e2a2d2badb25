// The station's assembly: builds the services from config and the outside parts it is given (core/ports.ts),
// and exposes the one gate transports call. The concrete parts (printer, devices) are chosen in app/station.ts.
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  StationConfig,
  type ApiResponse,
  type EventName,
  type EventPayload,
  type PrinterConfig,
  type StationConfigInput,
  type StationInfo,
  type BenchStatusReport,
} from '../contract/index.js';
import { openDatabase } from '../db/connection.js';
import { isSetAside } from '../db/repositories/siteSync.js';
import { durableCommits } from '../db/durableCommits.js';
import { checkpointFor, checkpointInWorker, startCheckpointer } from './sync/checkpointer.js';
import { startWalSyncer } from './sync/walSyncer.js';
import { labelsAfterSync } from './workflow/labelsAfterSync.js';
import { CHECKPOINT_EVERY_FRAMES } from './sync/slices.js';
import { walFrames } from '../db/checkpoint.js';
import { defaultRuleSet } from '../domain/rules/defaultRuleSet.js';
import { createDispatcher, type Handlers } from './workflow/dispatch.js';
import { GradingService, gradingHandlers, itemHandlers } from './workflow/grading.js';
import { IntakeService } from './workflow/intake.js';
import { RulesService, ruleHandlers } from './workflow/rules.js';
import { PhotoService, photoHandlers, storeFetchedPhoto } from './workflow/photos.js';
import { ParcelService, parcelHandlers } from './workflow/parcels.js';
import { ContainerService, containerHandlers } from './workflow/containers.js';
import { ReviewService, reviewHandlers } from './workflow/review.js';
import { DeadLetterService, syncHandlers } from './workflow/sync.js';
import { domainFlagPolicy, domainResolutionPolicy } from './workflow/domainPolicies.js';
import { ToteService, toteHandlers } from './workflow/totes.js';
import { lookupRmasForBlindReturn } from './sync/rmaLookup.js';
import { enrolOperatorsIfNone, OperatorService, operatorHandlers, setupHandlers, type OperatorSeed } from './workflow/operators.js';
import { SessionService, sessionHandlers } from './workflow/session.js';
import { systemHandlers } from './workflow/system.js';
import { DeviceService, deviceHandlers, printerHandlers } from './workflow/devices.js';
import { createDashboardFeed } from './workflow/reports/dashboardFeed.js';
import { dashboardHandlers, ReportsService, reportHandlers } from './workflow/reports/service.js';
import { createWmsClient } from './sync/wmsClient.js';
import { createSyncEngine } from './sync/syncEngine.js';
import { createSearchIndexer } from './workflow/searchIndex.js';
import { siteScopedHandlers } from './workflow/siteScoped.js';
import { createSiteSync } from './sync/siteSync.js';
import { createSiteToteLookup } from './sync/siteTotes.js';
import { relabelHandlers } from './workflow/relabel.js';
import { StationError } from './workflow/errors.js';
import { createSnapshotBootstrap, createSnapshotSource } from './sync/snapshot.js';
import { createAuditAnchorSender } from './sync/auditAnchor.js';
import { blobFileReader } from './sync/blobUpload.js';
import { createLogger, stationLogHook } from './logging/logger.js';
import type { Db } from '../db/connection.js';
import type { Clock, StationPorts } from './ports.js';

export type StationListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** What a transport (Electron IPC, preview HTTP/WS) needs from the station. */
export interface Station {
  readonly info: StationInfo;
  /** Validates `rawInput` against the contract, checks the session's role, runs the call. Never throws. */
  handle(sessionKey: string, name: string, rawInput: unknown): Promise<ApiResponse>;
  /** Events for every session; transports forward them to their renderers. */
  subscribe(listener: StationListener): () => void;
  /** A transport's client went away (window closed, socket dropped). */
  endSession(sessionKey: string): void;
  /** One push + pull round with the WMS now (start-up, tests). */
  syncNow(): Promise<void>;
  close(): Promise<void>;
}

export interface StationRuntimeOptions {
  /** Path to a better-sqlite3 binary built for this runtime (Electron passes its own). */
  nativeBinding?: string;
  /** Where the numbered SQL migrations live (Electron passes the packaged path). */
  migrationsDir?: string;
  /**
   * Demo mode only (app/demo.ts): operators with known PINs, enrolled when the station has none. A production
   * bench passes none and starts with no operator: the first start enrols a supervisor (setup.*).
   */
  operators?: readonly OperatorSeed[];
  /** The WMS was started by app/ as the local demo. */
  wmsIsDemo?: boolean;
  /** Where devices.configure saves the bench's devices (default <dataDir>/devices.json). */
  devicesFile?: string;
  /** The printer came from RS_PRINTER, which wins over the devices file at start: the Devices screen may not change it. */
  printerFromEnvironment?: boolean;
  log?: (msg: string, err?: unknown) => void;
  version?: string;
  /** The fetch the WMS / hub client uses (app/ passes one pinned to the hub's CA with RS_HUB_CA). */
  wmsFetch?: typeof fetch;
  /** The sessions' clock (idle sign-out, PIN lock): tests pass a fake one. */
  now?: Clock;
  /** The WMS is a site hub: the audit chain's head is anchored there on the sync timer and on close. */
  auditAnchors?: { everyMs: number };
}

/** Builds the station's outside parts once its database is open (their state, e.g. print jobs, lives there). */
export type StationPortsFactory = (station: { db: Db; config: StationConfig }) => StationPorts;

export async function createStation(configInput: StationConfigInput, ports: StationPortsFactory, runtime: StationRuntimeOptions = {}): Promise<Station> {
  const config = StationConfig.parse(configInput);
  // Default: masked JSON lines under <dataDir>/logs, rotated at 5 MB × 5 files, echoed to stderr.
  const log = runtime.log ?? stationLogHook(createLogger({ dir: join(config.dataDir, 'logs'), echo: true }));
  const dbFile = join(config.dataDir, 'station.sqlite');
  const db = openDatabase(dbFile, {
    // The sync timer checkpoints (onTick below): a grade's commit never copies the WAL into the database.
    walAutoCheckpoint: false,
    // Nor syncs it on the event loop: `commits` below does, in a worker, before anyone is told.
    commitSync: 'deferred',
    ...(runtime.nativeBinding ? { nativeBinding: runtime.nativeBinding } : {}),
    ...(runtime.migrationsDir ? { migrationsDir: runtime.migrationsDir } : {}),
  });
  // The syncs run in a worker of their own (walSyncer.ts), not libuv's thread pool, whose locks the heavy jobs' threads held.
  const walSyncer = startWalSyncer({ walFile: `${dbFile}-wal` });
  const commits = durableCommits(db, () => walSyncer.sync());
  // Checkpoints (the sync timer's, the long jobs') copy and sync in a worker, never on the event loop.
  const checkpointer = startCheckpointer({ dbFile, ...(runtime.nativeBinding ? { nativeBinding: runtime.nativeBinding } : {}) });
  checkpointInWorker(db, checkpointer);
  if (runtime.operators) await enrolOperatorsIfNone(db, runtime.operators);

  const listeners = new Set<StationListener>();
  const emit: StationListener = (event, payload) => {
    for (const l of listeners) {
      try {
        l(event, payload);
      } catch (err) {
        log(`listener for ${event} failed`, err);
      }
    }
  };

  // Every recorded change appends an outbox event: that is when dashboards are stale.
  const dashboardFeed = createDashboardFeed((payload) => emit('dashboard.changed', payload));

  const wms = config.wms ?? { url: 'http://127.0.0.1:1', token: 'none', hub: false };
  const wmsFetch = runtime.wmsFetch ? { fetch: runtime.wmsFetch } : {};
  const wmsClient = createWmsClient({ baseUrl: wms.url, token: wms.token, ...wmsFetch });
  const anchors = runtime.auditAnchors
    ? createAuditAnchorSender({ db, stationId: config.stationId, hub: { url: wms.url, token: wms.token, ...wmsFetch }, everyMs: runtime.auditAnchors.everyMs, log, beforeSend: commits.durable })
    : null;
  // Names, readings and phone numbers of RMAs the pull or a lookup wrote, indexed for the blind search.
  const searchIndexer = createSearchIndexer(db, log);
  const sync = createSyncEngine({
    db,
    client: wmsClient,
    stationId: config.stationId,
    intervalMs: config.sync.intervalMs,
    batchSize: config.sync.batchSize,
    beforeSend: commits.durable,
    wmsIsDemo: runtime.wmsIsDemo ?? false,
    viaHub: wms.hub,
    // Photos go up (resumable, by hash) before the events that name them.
    blobs: { client: wmsClient, read: blobFileReader(config.dataDir) },
    // Behind a site hub, a bench with no reference data loads the hub's snapshot before it follows by cursor.
    ...(wms.hub
      ? {
          bootstrap: createSnapshotBootstrap(
            db,
            createSnapshotSource({ baseUrl: wms.url, token: wms.token, ...wmsFetch }),
            (r) =>
              log(
                `Reference data loaded from the hub's snapshot (${r.via === 'file' ? 'prepared file' : 'stream'}): ${r.products} products, ${r.rmas} RMAs in ${r.ms} ms${r.fileRefused ? `; the prepared file was not taken: ${r.fileRefused.message}` : ''}`,
              ),
            { bulk: runtime.nativeBinding ? { nativeBinding: runtime.nativeBinding } : {} },
          ),
        }
      : {}),
    ...(runtime.nativeBinding ? { nativeBinding: runtime.nativeBinding } : {}),
    customerPhotos: {
      getBlob: (sha256) => wmsClient.getBlob?.(sha256) ?? Promise.resolve(null),
      store: (sha256, bytes) => storeFetchedPhoto(config.dataDir, sha256, Buffer.from(bytes)),
    },
    onStatus: (status) => emit('sync.status', status),
    onCycle: () => searchIndexer.kick(),
    onTick: (idle) => {
      // A checkpoint that copies a small WAL while operators work only makes their next commit start the WAL
      // over, with a sync of its header on the event loop (slices.ts): so only when idle or when it has grown.
      if (idle || walFrames(db) > CHECKPOINT_EVERY_FRAMES) {
        void checkpointFor(db, { idle }).then(
          (report) => {
            if (report.busy && report.walFrames > 100_000) log(`WAL checkpoint kept busy with ${report.walFrames} frames in the WAL`);
          },
          (err: unknown) => log('WAL checkpoint failed', err),
        );
      }
      anchors?.tick();
    },
  });

  const { labels: printLabels, printer, devices: bench } = ports({ db, config });
  const labels = labelsAfterSync(printLabels, commits);
  // Scanners, scale, RFID readers and the printer's status; a bad entry stops start-up here.
  const devices = new DeviceService({
    db,
    stationId: config.stationId,
    printer,
    devices: config.devices,
    configFile: runtime.devicesFile ?? join(config.dataDir, 'devices.json'),
    printerConfig: config.printer,
    ...(runtime.printerFromEnvironment ? { printerFromEnvironment: true } : {}),
    bench,
    events: {
      scan: (scan) => emit('device.scan', scan),
      status: (all) => emit('device.status', all),
      tag: (read) => emit('device.tags', read),
      weight: (reading) => emit('device.weight', reading),
      unreadable: (scan) => emit('device.unreadable', scan),
      printer: (next) => {
        info.printer = printerInfo(next);
      },
    },
    log,
  });
  // Issue 15: a bench of a site follows the hub's roster (a disable signs the operator out here within
  // 10 s), checks PINs against the site-wide lock-out, and pulls the hub's review decisions on its items.
  const site = config.site
    ? createSiteSync({
        db,
        baseUrl: wms.url,
        token: wms.token,
        intervalMs: config.site.rosterIntervalMs,
        ...wmsFetch,
        // Every window re-asks for its own session: a disabled operator's comes back empty.
        onDisabled: () => emit('session.changed', null),
        onDecisions: () => dashboardFeed.notify(),
        status: (): BenchStatusReport => {
          const st = sync.status();
          const op = sessions.signedIn();
          return {
            stationId: config.stationId,
            outboxPending: st.pending,
            oldestPendingAt: st.oldestPendingAgeSec === null ? null : new Date(Date.now() - st.oldestPendingAgeSec * 1000).toISOString(),
            deadLetters: st.deadLetters,
            deviceFaults: devices
              .overview()
              .devices.filter((d) => d.state === 'error' || d.state === 'reconnecting')
              .slice(0, 50)
              .map((d) => ({ kind: d.kind, label: d.label.slice(0, 200), state: d.state })),
            operator: op ? { id: op.id, name: op.name } : null,
            ruleSetVersion: rules.current().version,
            appVersion: (runtime.version ?? '0.1.0').slice(0, 40),
          };
        },
        // Issue 15: the next item at this bench routes by the site's new rule set.
        onRuleSet: () => rules.siteRuleSetChanged(),
        log,
      })
    : null;
  const sessions = new SessionService(db, { ...config.session, ...(runtime.now ? { now: runtime.now } : {}), ...(site ? { site } : {}) });
  const recorded = (): void => {
    sync.notify();
    dashboardFeed.notify();
  };
  const intake = new IntakeService({
    db,
    stationId: config.stationId,
    onOutboxAppended: recorded,
    onParcelOpened: (id) => devices.weighParcel(id),
    wmsOnline: () => sync.status().online,
  });
  const rules = new RulesService({ db, stationId: config.stationId, shipped: defaultRuleSet, ...(config.site ? { site: true } : {}) });
  const photos = new PhotoService({ db, dataDir: config.dataDir });
  const grading = new GradingService({
    db,
    stationId: config.stationId,
    intake,
    ruleSet: () => rules.current(),
    ruleSetOrigin: () => rules.origin(),
    labels,
    onOutboxAppended: recorded,
    flags: domainFlagPolicy(),
    resolution: domainResolutionPolicy(),
    requirePhotos: (hashes) => photos.requireKnown(hashes),
  });
  const parcels = new ParcelService({ db, stationId: config.stationId, intake, lookup: (q) => lookupRmasForBlindReturn(db, wmsClient, q), onOutboxAppended: recorded });
  const containers = new ContainerService({ db, stationId: config.stationId, onOutboxAppended: recorded });
  const review = new ReviewService({ db, stationId: config.stationId, ruleSet: () => rules.current(), ruleSetAt: (v, source) => rules.version(v, source), onOutboxAppended: recorded });
  const deadLetters = new DeadLetterService({ db, onOutboxAppended: recorded });
  const operators = new OperatorService(db);

  const reports = new ReportsService({
    db,
    exportRoots: [homedir(), ...config.exportsRoots],
    ...(config.defaultExportFolder ? { defaultExportFolder: config.defaultExportFolder } : {}),
    openReader: () => openDatabase(dbFile, { readonly: true, ...(runtime.nativeBinding ? { nativeBinding: runtime.nativeBinding } : {}) }),
    ...(runtime.nativeBinding ? { nativeBinding: runtime.nativeBinding } : {}),
    onExportProgress: (progress) => emit('reports.exportProgress', progress),
    log,
  });

  const info: StationInfo = {
    stationId: config.stationId,
    version: runtime.version ?? '0.1.0',
    wmsIsDemo: runtime.wmsIsDemo ?? false,
    wmsUrl: wms.url,
    printer: printerInfo(config.printer),
  };

  // One map per contract area (contract/calls/<prefix>.ts), each built beside its service.
  const handlers: Handlers = {
    ...systemHandlers(info),
    ...sessionHandlers(sessions),
    ...parcelHandlers({ intake, parcels }),
    ...itemHandlers(grading),
    ...gradingHandlers(grading),
    ...photoHandlers(photos),
    ...ruleHandlers(rules),
    ...containerHandlers(containers),
    ...reviewHandlers(review, relabelHandlers({ db, labels, stationId: config.stationId, now: runtime.now ?? (() => new Date()) })),
    ...syncHandlers({ engine: sync, deadLetters }),
    ...reportHandlers(reports),
    ...dashboardHandlers(reports),
    ...deviceHandlers(devices),
    ...printerHandlers(devices),
    ...setupHandlers(operators, sessions),
    ...operatorHandlers(operators),
    // At a bench of a site the roster is the hub's: the operators.* changes are refused here.
    ...(site ? siteRosterOnly(operators) : {}),
    // Issue 15: the site's benches are a hub screen; a bench has no view of the others.
    'benches.list': () => {
      throw new StationError('NOT_FOUND', 'error.site.onlyAtHub', 'The benches of the site are shown on the site hub.');
    },
    ...toteHandlers(
      new ToteService({
        db,
        stationId: config.stationId,
        intake,
        onOutboxAppended: recorded,
        // Behind a site hub a tote may be worked at several benches: closing asks the hub what the others received.
        ...(wms.hub ? { siteReceived: createSiteToteLookup({ baseUrl: wms.url, token: wms.token, timeoutMs: 2000, ...wmsFetch }), log } : {}),
      }),
    ),
  };
  // Issue 15: the lead and supervisor screens of a bench of a site show the whole site, asked of the hub.
  if (site) Object.assign(handlers, siteScopedHandlers({ ...handlers }, { baseUrl: wms.url, token: wms.token, ...wmsFetch, log }));
  const dispatcher = createDispatcher(handlers, sessions, log, commits);
  sync.start();
  site?.start();
  devices.start();
  searchIndexer.kick();

  return {
    info,
    handle: (sessionKey, name, rawInput) => dispatcher.handle(sessionKey, name, rawInput),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    endSession: (sessionKey) => sessions.end(sessionKey),
    async syncNow() {
      await site?.pullNow();
      await sync.flushNow();
    },
    async close() {
      dashboardFeed.close();
      await reports.close();
      await devices.close();
      await sync.stop();
      searchIndexer.stop();
      await searchIndexer.settled();
      // The last head, so a tail cut off while the bench was shut down is visible at the hub.
      await anchors?.flush();
      await site?.stop();
      await labels.close?.();
      await commits.close();
      await walSyncer.close();
      await checkpointer.close();
      listeners.clear();
      db.close();
    },
  };
}

/** The printer as system.info names it (a lead's change on the Devices screen is named too). */
const printerInfo = (printer: PrinterConfig): string =>
  printer.transport === 'tcp' ? `${printer.language.toUpperCase()} tcp://${printer.host}:${printer.port}` : 'none';

/**
 * At a bench of a site the roster is the hub's: enrol, disable and reset there, once for every bench. The list
 * says so, and leaves out the bench's own operators whose badge the site gave to someone else (kept, disabled,
 * with the badge set aside as `<badge>~<id>`, because items and the audit name them).
 */
function siteRosterOnly(operators: OperatorService): Pick<Handlers, 'operators.list' | 'operators.enrol' | 'operators.setDisabled' | 'operators.resetPin'> {
  const refuse = (): never => {
    throw new StationError('CONFLICT', 'error.site.rosterAtHub', 'This bench follows the site roster: enrol, disable and reset operators at the site hub.');
  };
  return {
    'operators.list': () => ({ operators: operators.list().filter((op) => !isSetAside(op)), managedAtHub: true }),
    'operators.enrol': refuse,
    'operators.setDisabled': refuse,
    'operators.resetPin': refuse,
  };
}
