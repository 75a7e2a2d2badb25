// Exports go only under the folder the supervisor chose: hostile file names never name another place.
// (The exports module's own tests in core/workflow/exports cover writing; this is the path property.)
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveExportTarget, safeExportFileName } from '../../core/workflow/exports/safePath.js';
import { StationError } from '../../core/workflow/errors.js';

const folder = realpathSync(mkdtempSync(join(tmpdir(), 'rs-export-')));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const hostileName = fc.oneof(
  fc.string({ maxLength: 140, unit: 'binary' }),
  fc.string({ maxLength: 60, unit: fc.constantFrom('.', '/', '\\', '..', ' ', 'a', '名', '\0', ':', '%2e', 'CON', '~', '\u202e') }),
  fc.constantFrom('../../etc/passwd', '..\\..\\x', '/etc/passwd', 'C:\\Windows\\x', 'a/../../b', '.hidden', 'CON', 'nul.csv', ' .. ', 'report.csv/..', '\u2025x'),
);

describe('export paths', () => {
  it('a file name either is refused with a typed error or lands directly inside the export folder', () => {
    fc.assert(
      fc.property(hostileName, fc.constantFrom('csv', 'xlsx') as fc.Arbitrary<'csv' | 'xlsx'>, (raw, format) => {
        let name: string;
        try {
          name = safeExportFileName(raw, format);
        } catch (err) {
          expect(err).toBeInstanceOf(StationError);
          expect((err as StationError).code).toBe('INVALID_INPUT');
          return;
        }
        const target = resolveExportTarget(folder, name);
        expect(dirname(target.path)).toBe(folder);
        expect(target.path).toBe(join(folder, target.fileName));
        expect(target.fileName.endsWith(`.${format}`)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses a relative export folder and one that does not exist', () => {
    for (const f of ['exports', '../exports', join(folder, 'missing')]) {
      expect(() => resolveExportTarget(f, 'x.csv')).toThrow(StationError);
    }
  });
});
