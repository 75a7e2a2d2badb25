import { describe, expect, it } from 'vitest';
import { ExportFileName } from '../../../contract/index.js';
import { defaultExportName } from './exportName.js';

describe("an export's default file name", () => {
  it('names the period the file holds', () => {
    expect(defaultExportName({ from: '2026-11-02', to: '2026-11-02' })).toBe('returns-2026-11-02');
    expect(defaultExportName({ from: '2026-11-01', to: '2026-11-30' })).toBe('returns-2026-11-01_2026-11-30');
    expect(defaultExportName({ from: '2026-11-01', to: '' })).toBe('returns-from-2026-11-01');
    expect(defaultExportName({ from: '', to: '2026-11-30' })).toBe('returns-until-2026-11-30');
    expect(defaultExportName({ from: ' ', to: '' })).toBe('returns-all');
  });

  it('is always a name the station accepts', () => {
    for (const period of [{ from: '2026-11-01', to: '2026-11-30' }, { from: '', to: '' }, { from: '2026-11-01', to: '' }]) {
      expect(ExportFileName.safeParse(defaultExportName(period)).success).toBe(true);
    }
  });
});
