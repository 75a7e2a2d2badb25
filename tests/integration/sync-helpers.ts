// Shared by the sync-*.test.ts files: small valid reference data and event bodies.
import type { Product, Rma, WmsEventBody } from '../../contract/index.js';

export function makeProducts(n: number, updatedAt = '2025-01-01T00:00:00.000Z'): Product[] {
  return Array.from({ length: n }, (_, i) => ({
    sku: `SKU-${String(i).padStart(5, '0')}`,
    gtin: String(4900000000000 + i).padStart(14, '0'),
    name: `Product ${i}`,
    nameJa: `商品 ${i}`,
    category: (['apparel', 'shoes', 'cosmetics', 'electronics'] as const)[i % 4]!,
    priceJpy: 1000 + i,
    weightGrams: 200,
    updatedAt,
  }));
}

export function makeRmas(n: number, updatedAt = '2025-01-01T00:00:00.000Z'): Rma[] {
  return Array.from({ length: n }, (_, i) => {
    const rmaNumber = `RMA-${String(i).padStart(6, '0')}`;
    return {
      rmaNumber,
      orderNumber: `ORD-${String(i).padStart(6, '0')}`,
      customerName: `山田 ${i}`,
      customerKana: `ヤマダ ${i}`,
      customerPhone: `090-1234-${String(i).padStart(4, '0')}`,
      carrier: 'yamato',
      trackingNumber: String(100000000000 + i),
      status: 'open',
      createdAt: '2024-12-20T00:00:00.000Z',
      updatedAt,
      returnChannel: 'home_pickup',
      lines: [1, 2].map((k) => ({ id: `${rmaNumber}-L${k}`, sku: `SKU-${String((i + k) % 10).padStart(5, '0')}`, qty: 1, reason: 'size', reasonText: 'サイズが合わない' })),
    };
  });
}

export function parcelReceived(parcelId: string, n = 0): WmsEventBody {
  return {
    type: 'parcel.received',
    payload: { parcelId, rmaNumber: `RMA-${String(n).padStart(6, '0')}`, scannedCode: String(100000000000 + n), operatorId: 'op-1', stationId: 'BENCH-T', receivedAt: '2025-01-02T00:00:00.000Z' },
  };
}

export function itemGraded(parcelId: string, k: number): WmsEventBody {
  return {
    type: 'item.graded',
    payload: {
      itemId: `${parcelId}-I${k}`,
      lpn: `LPN-${parcelId}-${k}`,
      parcelId,
      rmaNumber: 'RMA-000000',
      lineId: 'RMA-000000-L1',
      sku: 'SKU-00001',
      grade: 'A',
      disposition: 'restock',
      destination: 'A-01',
      ruleId: 'R1',
      ruleSetVersion: 1,
      operatorId: 'op-1',
      stationId: 'BENCH-T',
      gradedAt: '2025-01-02T00:00:00.000Z',
    },
  };
}
