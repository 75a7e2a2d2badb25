// Test support: the workflow services wired like core/station.ts, on a real SQLite file in a temp
// directory, with a fake label printer and an injectable WMS lookup. Not used by production code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../db/connection.js';
import type { PrintOutcome, Rma } from '../../contract/index.js';
import type { ItemLabel } from '../../contract/label.js';
import { defaultRuleSet } from '../../domain/rules/defaultRuleSet.js';
import { createDispatcher, type Handlers } from './dispatch.js';
import { GradingService, gradingHandlers, itemHandlers } from './grading.js';
import { IntakeService } from './intake.js';
import { enrolOperatorsIfNone, OperatorService, operatorHandlers, setupHandlers, type OperatorSeed } from './operators.js';
import { SessionService, sessionHandlers } from './session.js';
import { dashboardHandlers, ReportsService, reportHandlers } from './reports/service.js';
import { RulesService, ruleHandlers } from './rules.js';
import { PhotoService, photoHandlers } from './photos.js';
import { ParcelService, parcelHandlers, type RmaLookup } from './parcels.js';
import { ContainerService, containerHandlers } from './containers.js';
import { ReviewService, reviewHandlers } from './review.js';
import { relabelHandlers } from './relabel.js';
import { DeadLetterService, syncHandlers } from './sync.js';
import { domainFlagPolicy, domainResolutionPolicy } from './domainPolicies.js';
import { PNG } from 'pngjs';

export const TEST_OPERATORS: readonly OperatorSeed[] = [
  { id: 'OP-1001', badge: 'OP-1001', name: '佐藤 花子', role: 'staff', pin: '1234' },
  { id: 'OP-2001', badge: 'OP-2001', name: '田中 一郎', role: 'lead', pin: '2345' },
  { id: 'OP-3001', badge: 'OP-3001', name: '鈴木 次郎', role: 'supervisor', pin: '3456' },
];

const SYNC_STATUS = { online: true, wmsUrl: 'x', wmsIsDemo: true, pending: 0, deadLetters: 0, oldestPendingAgeSec: null, lastError: null, lastSyncAt: null };

export interface Harness {
  db: Db;
  dir: string;
  printed: ItemLabel[];
  /** Labels drawn for the screen (the fake preview records them). */
  previewed: ItemLabel[];
  notified: () => number;
  handle: (session: string, name: string, input: unknown) => ReturnType<ReturnType<typeof createDispatcher>['handle']>;
  /** Calls and throws on a refusal, returning the value. */
  ok: <T>(session: string, name: string, input: unknown) => Promise<T>;
  signIn: (session: string, role: 'staff' | 'lead' | 'supervisor') => Promise<void>;
  setNow: (d: Date) => void;
  setLookup: (l: RmaLookup) => void;
  /** The rule sets (a test adopts a site version with db/repositories/siteRuleSets.ts, then tells it). */
  rules: RulesService;
  close: () => void;
}

export async function createHarness(
  seed: (db: Db) => void,
  options: {
    idleMinutes?: number;
    /** Default TEST_OPERATORS; [] is a fresh production install. */ operators?: readonly OperatorSeed[];
    /** A bench of a site: the site's rule set, once adopted, routes (RulesServiceDeps.site). */
    site?: boolean;
  } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'rs-workflow-'));
  const db = openDatabase(join(dir, 'station.sqlite'));
  seed(db);
  await enrolOperatorsIfNone(db, options.operators ?? TEST_OPERATORS);
  const printed: ItemLabel[] = [];
  const previewed: ItemLabel[] = [];
  let notified = 0;
  let current = new Date('2026-11-10T01:00:00.000Z');
  const now = (): Date => current;
  const recorded = (): void => {
    notified++;
  };
  let lookup: RmaLookup = async () => ({ source: 'local', rmas: [], fallbackReason: 'test: no WMS' });
  const sessions = new SessionService(db, { lockAfterFailures: 3, lockMinutes: 5, idleMinutes: options.idleMinutes ?? 30, now });
  const intake = new IntakeService({ db, stationId: 'BENCH-01', onOutboxAppended: recorded, now });
  const rules = new RulesService({ db, stationId: 'BENCH-01', shipped: defaultRuleSet, now, ...(options.site ? { site: true } : {}) });
  const photos = new PhotoService({ db, dataDir: dir, now });
  const labels = {
    preview: (label: ItemLabel) => {
      previewed.push(label);
      return `<svg>${label.lpn}</svg>`;
    },
    print: async (label: ItemLabel): Promise<PrintOutcome> => {
      printed.push(label);
      return { status: 'printed', printer: 'fake' };
    },
  };
  const grading = new GradingService({
    db,
    stationId: 'BENCH-01',
    intake,
    ruleSet: () => rules.current(),
    ruleSetOrigin: () => rules.origin(),
    labels,
    onOutboxAppended: recorded,
    now,
    flags: domainFlagPolicy(),
    resolution: domainResolutionPolicy(),
    requirePhotos: (h) => photos.requireKnown(h),
  });
  const reports = new ReportsService({ db });
  const operators = new OperatorService(db, now);
  // Partial: other areas' calls (devices, ...) are not wired here; a call without a handler fails as INTERNAL.
  const handlers: Partial<Handlers> = {
    'system.info': () => ({ stationId: 'BENCH-01', version: 't', wmsIsDemo: true, wmsUrl: 'x', printer: 'fake' }),
    ...sessionHandlers(sessions),
    ...syncHandlers({
      engine: { status: () => SYNC_STATUS, flushNow: async () => SYNC_STATUS },
      deadLetters: new DeadLetterService({ db, onOutboxAppended: recorded, now }),
    }),
    ...reportHandlers(reports),
    ...dashboardHandlers(reports),
    ...setupHandlers(operators, sessions),
    ...operatorHandlers(operators),
    ...parcelHandlers({ intake, parcels: new ParcelService({ db, stationId: 'BENCH-01', intake, lookup: (q) => lookup(q), onOutboxAppended: recorded, now }) }),
    ...itemHandlers(grading),
    ...gradingHandlers(grading),
    ...photoHandlers(photos),
    ...ruleHandlers(rules),
    ...containerHandlers(new ContainerService({ db, stationId: 'BENCH-01', onOutboxAppended: recorded, now })),
    ...reviewHandlers(new ReviewService({ db, stationId: 'BENCH-01', ruleSet: () => rules.current(), ruleSetAt: (v, source) => rules.version(v, source), onOutboxAppended: recorded, now }), relabelHandlers({ db, labels, stationId: 'BENCH-01', now })),
  };
  const d = createDispatcher(handlers as Handlers, sessions, () => undefined);
  const handle: Harness['handle'] = (s, n, i) => d.handle(s, n, i);
  const pins = { staff: ['OP-1001', '1234'], lead: ['OP-2001', '2345'], supervisor: ['OP-3001', '3456'] } as const;
  return {
    db,
    dir,
    printed,
    previewed,
    notified: () => notified,
    handle,
    async ok<T>(s: string, n: string, i: unknown): Promise<T> {
      const r = await handle(s, n, i);
      if (!r.ok) throw new Error(`${n}: ${r.error.code} ${r.error.messageKey} ${r.error.message}`);
      return r.value as T;
    },
    async signIn(s, role) {
      const [badge, pin] = pins[role];
      const r = await handle(s, 'session.signIn', { badge, pin });
      if (!r.ok) throw new Error(r.error.message);
    },
    setNow: (d2) => {
      current = d2;
    },
    setLookup: (l) => {
      lookup = l;
    },
    rules,
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A real PNG of the given size (gray pixels), as the webcam would send. */
export function testPng(width = 32, height = 24): Buffer {
  const png = new PNG({ width, height });
  png.data.fill(0x80);
  return PNG.sync.write(png);
}

/**
 * A baseline JPEG's structure with the given size: SOI, a frame header, a scan and EOI. The station reads a JPEG's
 * markers (not its entropy-coded pixels), so this is what it needs to accept one.
 */
export function testJpeg(width = 32, height = 24): Buffer {
  const segment = (marker: number, body: number[]): Buffer => Buffer.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body]);
  const sof = segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]);
  const sos = segment(0xda, [1, 1, 0, 0, 63, 0]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]), sof, sos, Buffer.from([0x12, 0x34, 0x56]), Buffer.from([0xff, 0xd9])]);
}
