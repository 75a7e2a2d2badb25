import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../db/connection.js';
import { upsertOperator } from '../../../db/repositories/operators.js';
import { seedReportItems } from '../../../fixtures/report-data/seedItems.js';
import { ReportsService } from './service.js';
import { StationError } from '../errors.js';

const SUPERVISOR = { id: 'OP-3', name: '鈴木 三郎', role: 'supervisor' as const };
const EXPORT = { format: 'csv' as const, filters: {}, fileName: 'returns', language: 'ja' as const };

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-default-export-'));
  db = openDatabase(':memory:');
  upsertOperator(db, { id: 'OP-1', badge: 'OP-1', name: '作業者', role: 'staff', pinHash: 'x' });
  seedReportItems(db, { items: 40, start: '2026-11-01T00:00:00.000Z', hours: 24, operatorIds: ['OP-1'] });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the default export folder', () => {
  it('takes a supervisor\'s first export before any folder was chosen, creating the folder', async () => {
    const folder = join(dir, 'Documents', 'Returns Station');
    const reports = new ReportsService({ db, defaultExportFolder: folder, exportRoots: [dir] });
    expect(reports.config().exportFolder).toBe(folder);
    const result = await reports.export(SUPERVISOR, EXPORT);
    expect(result.path).toBe(join(realpathSync(folder), 'returns.csv'));
    expect(result.rows).toBe(40);
    expect(readdirSync(folder)).toEqual(['returns.csv']);
  });

  it('gives way to the folder a supervisor chose', async () => {
    const chosen = join(dir, 'chosen');
    const reports = new ReportsService({ db, defaultExportFolder: join(dir, 'default'), exportRoots: [dir] });
    mkdirSync(chosen);
    expect(reports.setExportFolder(SUPERVISOR, chosen).exportFolder).toBe(realpathSync(chosen));
    const result = await reports.export(SUPERVISOR, EXPORT);
    expect(result.path).toBe(join(realpathSync(chosen), 'returns.csv'));
    expect(existsSync(join(dir, 'default'))).toBe(false);
  });

  it('without one, still asks for a folder first', async () => {
    const reports = new ReportsService({ db, exportRoots: [dir] });
    expect(reports.config().exportFolder).toBeNull();
    await expect(reports.export(SUPERVISOR, EXPORT)).rejects.toMatchObject({ messageKey: 'error.exportFolderNotSet' });
  });

  it('says so when the default folder cannot be made (a file is in its way)', async () => {
    const blocked = join(dir, 'file');
    writeFileSync(blocked, '');
    const reports = new ReportsService({ db, defaultExportFolder: join(blocked, 'Returns Station'), exportRoots: [dir] });
    const err = await reports.export(SUPERVISOR, EXPORT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StationError);
    expect(err).toMatchObject({ messageKey: 'error.exportFolderNotSet' });
  });
});
