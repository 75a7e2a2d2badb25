// A label used by tests and the Devices screen's "print a test label".
import type { ItemLabel } from './model.js';

export function sampleLabel(overrides: Partial<ItemLabel> = {}): ItemLabel {
  return {
    lpn: 'LPN-000123',
    sku: 'TSH-BLK-M',
    productName: 'オーガニックコットンTシャツ 黒 M',
    grade: 'B',
    disposition: 'resale',
    destination: 'TOTE-RESALE-03',
    rmaNumber: 'RMA-2026-000045',
    stationId: 'BENCH-01',
    printedAt: '2026-11-27T11:40:00+09:00',
    // The English texts; tests of the Japanese floor's label say language: 'ja'.
    language: 'en',
    ...overrides,
  };
}
