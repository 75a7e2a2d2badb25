import { describe, expect, it } from 'vitest';
import { formatLabelTime, labelTexts } from './model.js';
import { sampleLabel } from '../../contract/label.js';

describe('label time', () => {
  it('prints the site time (JST by default), not UTC', () => {
    expect(formatLabelTime('2026-11-27T11:33:00.000Z')).toBe('2026-11-27 20:33');
    expect(formatLabelTime('2026-11-27T11:33:00.000Z', 'UTC')).toBe('2026-11-27 11:33');
  });

  it('is what the label model shows', () => {
    const texts = labelTexts({ ...sampleLabel(), printedAt: '2026-12-31T15:30:00Z' });
    expect(JSON.stringify(texts)).toContain('2027-01-01 00:30');
  });
});
