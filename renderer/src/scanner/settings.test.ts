import { describe, expect, it } from 'vitest';
import { loadScannerSettings, SCANNER_SETTINGS_KEY } from './settings.js';

const storage = (value: string | null) => ({ getItem: (k: string) => (k === SCANNER_SETTINGS_KEY ? value : null) });

describe('scanner settings', () => {
  it('reads what the scanner was programmed with', () => {
    expect(loadScannerSettings(storage(JSON.stringify({ maxGapMs: 80, prefix: ['F12'], gsStandIn: '~' })))).toEqual({
      maxGapMs: 80,
      prefix: ['F12'],
      gsStandIn: '~',
    });
  });

  it('falls back to defaults on garbage or out-of-range values', () => {
    expect(loadScannerSettings(storage('{not json'))).toEqual({});
    expect(loadScannerSettings(storage(JSON.stringify({ maxGapMs: 5000 })))).toEqual({});
    expect(loadScannerSettings(storage(JSON.stringify({ unknown: 1 })))).toEqual({});
    expect(loadScannerSettings(storage(null))).toEqual({});
  });
});
