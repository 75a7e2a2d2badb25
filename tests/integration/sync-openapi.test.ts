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
    for (const field of ['idempotencyKey', 'aggregateId', 'sequence', 'previousSequence', 'item.graded', 'parcel.received', 'tote.opened', 'tote.closed']) expect(batch).toContain(field);
  });

  it("documents issue 17's fields: the inbound manifest and the RMA's channel and customer declaration", () => {
    const doc = parse(readFileSync(WMS_OPENAPI_FILE, 'utf8')) as { paths: Record<string, { get?: { responses?: Record<string, unknown> } }>; components: { schemas: Record<string, unknown> } };
    expect(JSON.stringify(doc.paths[WMS_PATHS.manifests]?.get?.responses?.['200'])).toContain('#/components/schemas/ManifestPage');
    const manifest = JSON.stringify(doc.components.schemas.ManifestPage);
    for (const field of ['toteId', 'container', 'origin', 'convenience_store', 'originName', 'bags', 'bagCode', 'rmaNumber', 'updatedAt']) expect(manifest).toContain(field);
    const rma = JSON.stringify(doc.components.schemas.RmaPage);
    for (const field of ['returnChannel', 'declaration', 'unused_with_tags', 'complete', 'photos']) expect(rma).toContain(field);
  });
});
