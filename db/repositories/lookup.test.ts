import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.js';
import { findProductBySku, findRmaByNumber, findRmaBySoldSerial, openRmasWithSku, rmaLines } from './lookup.js';

describe('RMA and product rows', () => {
  it('reads RMAs, their lines and products as camelCase shapes, the same from every lookup', () => {
    const db = openDatabase(':memory:');
    db.prepare("INSERT INTO products (sku, gtin, name, name_ja, category, price_jpy, weight_grams, updated_at) VALUES ('APP-1', '04900000000012', 'Shirt', 'シャツ', 'apparel', 4990, 300, 'x')").run();
    db.prepare(
      "INSERT INTO rmas (rma_number, order_number, customer_name, customer_kana, customer_phone, carrier, tracking_number, status, created_at, updated_at) VALUES ('RMA-1', 'ORD-1', '山田', 'ヤマダ', '03', 'yamato', 'T-1', 'open', '2026-11-01', 'x')",
    ).run();
    db.prepare("INSERT INTO rma_lines (id, rma_number, line_no, sku, qty, reason, reason_text, serial_number) VALUES ('L1', 'RMA-1', 1, 'APP-1', 2, 'size', 'too small', 'SN-1')").run();
    const rma = { rmaNumber: 'RMA-1', orderNumber: 'ORD-1', customerName: '山田', carrier: 'yamato', trackingNumber: 'T-1', status: 'open' };
    expect(findRmaByNumber(db, 'RMA-1')).toMatchObject(rma);
    expect(findRmaBySoldSerial(db, 'SN-1')).toMatchObject(rma);
    expect(openRmasWithSku(db, ['APP-1'])).toEqual([{ ...rma, createdAt: '2026-11-01' }]);
    expect(rmaLines(db, 'RMA-1')).toEqual([
      { id: 'L1', sku: 'APP-1', qty: 2, reason: 'size', reasonText: 'too small', gtin: '04900000000012', name: 'Shirt', nameJa: 'シャツ', category: 'apparel', priceJpy: 4990, weightGrams: 300 },
    ]);
    expect(findProductBySku(db, 'APP-1')).toEqual({ sku: 'APP-1', gtin: '04900000000012', name: 'Shirt', nameJa: 'シャツ', category: 'apparel', priceJpy: 4990, weightGrams: 300 });
    db.close();
  });
});
