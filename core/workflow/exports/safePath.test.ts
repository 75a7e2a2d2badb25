import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StationError } from '../errors.js';
import { writeExportFile } from './fileSink.js';
import { checkExportFolder, isInside, resolveExportTarget, safeExportFileName } from './safePath.js';

let root: string;
let folder: string;

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'rs-safe-')));
  folder = join(root, 'exports');
  mkdirSync(folder);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const refused = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(StationError);
    return (err as StationError).code;
  }
  throw new Error('expected a refusal');
};

describe('export file names', () => {
  it('forces the extension and keeps Japanese names', () => {
    expect(safeExportFileName('返品 11月', 'csv')).toBe('返品 11月.csv');
    expect(safeExportFileName('report.CSV', 'csv')).toBe('report.csv');
    expect(safeExportFileName('report.csv', 'xlsx')).toBe('report.csv.xlsx');
    expect(safeExportFileName('report.txt', 'csv')).toBe('report.txt.csv');
    expect(safeExportFileName('  report (2)  ', 'xlsx')).toBe('report (2).xlsx');
  });

  it('refuses anything that names a folder, climbs out, hides or is reserved', () => {
    for (const name of ['../x', '..', 'a/b', 'a\\b', '/etc/passwd', 'C:\\x', 'x/../../y', '.bashrc', 'a..b', 'CON', 'nul.csv', 'lpt1', 'a\u0000b', 'a\nb', '', '   ', 'x'.repeat(121), '~/x', 'a:b', '..csv']) {
      expect(refused(() => safeExportFileName(name, 'csv')), name).toBe('INVALID_INPUT');
    }
  });
});

describe('export folder and target', () => {
  it('accepts an absolute writable folder as its real path and refuses the rest', () => {
    expect(checkExportFolder(folder)).toBe(folder);
    const link = join(root, 'link');
    symlinkSync(folder, link);
    expect(checkExportFolder(link)).toBe(folder);
    expect(refused(() => checkExportFolder('exports'))).toBe('INVALID_INPUT');
    expect(refused(() => checkExportFolder(join(root, 'missing')))).toBe('INVALID_INPUT');
    writeFileSync(join(root, 'file'), 'x');
    expect(refused(() => checkExportFolder(join(root, 'file')))).toBe('INVALID_INPUT');
  });

  it('never picks a taken name, a dangling symlink included', () => {
    writeFileSync(join(folder, 'r.csv'), 'old');
    symlinkSync(join(root, 'outside.csv'), join(folder, 'r (2).csv'));
    const target = resolveExportTarget(folder, 'r.csv');
    expect(target.fileName).toBe('r (3).csv');
    expect(target.path).toBe(join(folder, 'r (3).csv'));
    expect(isInside(folder, target.path)).toBe(true);
  });

  it('refuses a chosen folder that now resolves elsewhere', () => {
    const chosen = join(root, 'chosen');
    mkdirSync(chosen);
    rmSync(chosen, { recursive: true });
    symlinkSync(join(root, 'exports'), chosen);
    expect(refused(() => resolveExportTarget(chosen, 'r.csv'))).toBe('CONFLICT');
  });

  it('knows inside from outside', () => {
    expect(isInside('/a/b', '/a/b/c.csv')).toBe(true);
    expect(isInside('/a/b', '/a/bc/c.csv')).toBe(false);
    expect(isInside('/a/b', '/a/c.csv')).toBe(false);
    expect(isInside('/a/b', '/a/b/../c.csv')).toBe(false);
  });
});

describe('writing an export file', () => {
  it('publishes the finished file and leaves nothing behind on failure', async () => {
    const ok = await writeExportFile(resolveExportTarget(folder, 'a.csv'), async (out) => {
      out.write('hello');
    });
    expect(ok.bytes).toBe(5);
    expect(readFileSync(join(folder, 'a.csv'), 'utf8')).toBe('hello');
    await expect(
      writeExportFile(resolveExportTarget(folder, 'b.csv'), async (out) => {
        out.write('partial');
        throw new Error('disk on fire');
      }),
    ).rejects.toThrow('disk on fire');
    expect(readdirSync(folder)).toEqual(['a.csv']);
  });

  it('a folder that fails under the writer is said as such: in words of the export folder, not of the station', async () => {
    // Chosen and checked, then gone before the file is opened (a USB stick pulled out).
    const target = resolveExportTarget(folder, 'gone.csv');
    rmSync(folder, { recursive: true });
    await expect(writeExportFile(target, async (out) => void out.write('rows'))).rejects.toMatchObject({
      code: 'CONFLICT',
      messageKey: 'error.exportWriteFailed',
      params: { cause: 'ENOENT' },
    });
    // A failing disk or a full stick, as the stream reports them.
    for (const [cause, key] of [['EIO', 'error.exportWriteFailed'], ['ENOSPC', 'error.exportFolderFull']] as const) {
      mkdirSync(folder, { recursive: true });
      const again = resolveExportTarget(folder, `${cause}.csv`);
      await expect(
        writeExportFile(again, async (out) => {
          out.write('partial');
          throw Object.assign(new Error(`${cause}: write failed`), { code: cause });
        }),
      ).rejects.toMatchObject({ messageKey: key, params: { cause } });
      expect(readdirSync(folder)).toEqual([]);
    }
  });

  it('does not overwrite a file that appeared after the name was chosen, nor write through a planted symlink', async () => {
    const target = resolveExportTarget(folder, 'c.csv');
    const victim = join(root, 'victim.txt');
    writeFileSync(victim, 'keep me');
    symlinkSync(victim, target.path);
    await expect(writeExportFile(target, async (out) => void out.write('evil'))).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(readdirSync(folder)).toEqual(['c.csv']);
  });
});
