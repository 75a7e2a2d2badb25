import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderWmsOpenApi, WMS_OPENAPI_FILE } from '../../scripts/wms-openapi.js';
import { WMS_PATHS } from '../../contract/index.js';

describe('docs/wms-api.yaml', () => {
  it('is exactly what the zod contract generates (run `tsx scripts/wms-openapi.ts` after changing contract/wms.ts)', () => {
    expect(readFileSync(WMS_OPENAPI_FILE, 'utf8')).toBe(renderWmsOpenApi());
  });

  it('documents every WMS path and the event schema with its idempotency key and sequence', () => {
    const doc = parse(readFileSync(WMS_OPENAPI_FILE, 'utf8')) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(Object.values(WMS_PATHS).sort());
    const batch = JSON.stringify(doc.components.schemas.EventBatch);
    for (const field of ['idempotencyKey', 'aggregateId', 'sequence', 'previousSequence', 'item.graded', 'parcel.received']) expect(batch).toContain(field);
  });
});
