import { describe, expect, it } from 'vitest';
import type { ParcelView } from '../../../contract/index.js';
import { unexpectedForKey, unknownItemLabel } from './UnexpectedOffer.js';

const parcel = { lines: [{ lineId: 'L1', sku: 'APP-1', expectedQty: 1, receivedQty: 0 }] } as unknown as ParcelView;
const shampoo = { code: '4901234000179', gtin: '04901234000179', sku: 'COS-000017', names: { en: 'Shampoo 480 mL', ja: 'シャンプー 480 mL' } };

describe('an item the return does not expect', () => {
  it('is named as the catalogue names it, in the operator\'s language, with its SKU', () => {
    expect(unknownItemLabel(shampoo, 'ja')).toBe('シャンプー 480 mL COS-000017');
    expect(unknownItemLabel(shampoo, 'en')).toBe('Shampoo 480 mL COS-000017');
  });

  it('is named by its SKU or code when the catalogue does not know it', () => {
    expect(unknownItemLabel({ gtin: '04900000000011', sku: null }, 'ja')).toBe('04900000000011');
    expect(unknownItemLabel({ gtin: '04901234000179', sku: 'COS-000017' }, 'ja')).toBe('COS-000017');
  });

  it('keeps its names when the operator says it is wrong or extra, for the grading heading', () => {
    expect(unexpectedForKey(parcel, shampoo, '1')).toEqual({ kind: 'wrong', gtin: shampoo.gtin, sku: shampoo.sku, names: shampoo.names, insteadOfLineId: 'L1' });
    expect(unexpectedForKey(parcel, shampoo, '0')).toEqual({ kind: 'extra', gtin: shampoo.gtin, sku: shampoo.sku, names: shampoo.names });
    expect(unexpectedForKey(parcel, shampoo, '2')).toBeUndefined();
  });
});
