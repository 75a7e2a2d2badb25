// Generates docs/wms-api.yaml (OpenAPI 3.1) from the zod contract in contract/wms.ts.
//   tsx scripts/wms-openapi.ts          write the file
//   tsx scripts/wms-openapi.ts --check  exit 1 if the committed file differs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { z } from 'zod';
import {
  BLOB_LIMITS,
  BlobState,
  EventBatch,
  EventBatchResult,
  ManifestPage,
  ProductPage,
  PullQuery,
  RmaLookupQuery,
  RmaLookupResult,
  RmaPage,
  WMS_PATHS,
  WmsErrorBody,
  WmsFaults,
  WmsFaultsPatch,
  WmsHealth,
} from '../contract/index.js';

export const WMS_OPENAPI_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'wms-api.yaml');

type Json = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  void _drop;
  return rest;
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string, description: string): Json => ({ description, content: { 'application/json': { schema: ref(name) } } });

function queryParameters(schema: z.ZodObject): Json[] {
  const full = schemaOf(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(full.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: (full.required ?? []).includes(name),
    schema: s,
  }));
}

const errors = {
  '400': json('Error', 'The request does not match the contract.'),
  '401': json('Error', 'Missing or wrong bearer token.'),
  '503': {
    ...json('Error', 'Temporarily unavailable; retry, honouring Retry-After when present.'),
    headers: { 'Retry-After': { schema: { type: 'integer', minimum: 0 }, description: 'Seconds to wait before retrying.' } },
  },
};

export function buildWmsOpenApi(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Returns Station ⇄ WMS',
      version: '1.0.0',
      description:
        'Generated from contract/wms.ts by scripts/wms-openapi.ts; do not edit by hand. ' +
        'Pull endpoints page by (updatedAt, id) cursor: pass the last row\'s updatedAt and id to get the rows strictly after it; `next` is null on the last page. ' +
        'Events carry an idempotency key (a repeat is answered `duplicate`) and a per-aggregate sequence: an event is applied only after the one it follows ' +
        '(`previousSequence`, default sequence − 1), otherwise it is answered `out_of_order` and not applied.',
    },
    security: [{ bearer: [] }],
    paths: {
      [WMS_PATHS.health]: { get: { operationId: 'health', responses: { '200': json('WmsHealth', 'Up.'), '401': errors['401'], '503': errors['503'] } } },
      [WMS_PATHS.products]: {
        get: { operationId: 'pullProducts', parameters: queryParameters(PullQuery), responses: { '200': json('ProductPage', 'One page of products.'), ...errors } },
      },
      [WMS_PATHS.rmas]: {
        get: { operationId: 'pullRmas', parameters: queryParameters(PullQuery), responses: { '200': json('RmaPage', 'One page of RMAs.'), ...errors } },
      },
      [WMS_PATHS.manifests]: {
        get: {
          operationId: 'pullInboundManifests',
          description:
            'Consolidated inbound totes and cages (returns dropped at a store, a depot or a convenience store): the tote or cage id, ' +
            'where it comes from, and each bag code with its RMA number. Paged by (updatedAt, toteId) cursor like RMAs; a later ' +
            'version of a manifest replaces its bag list whole. A WMS without consolidated returns may answer 404.',
          parameters: queryParameters(PullQuery),
          responses: { '200': json('ManifestPage', 'One page of inbound manifests.'), ...errors, '404': json('Error', 'This WMS offers no inbound manifests.') },
        },
      },
      [WMS_PATHS.rmaLookup]: {
        get: {
          operationId: 'lookupRmas',
          description: 'Blind returns: search by order number, RMA number, phone or customer name.',
          parameters: queryParameters(RmaLookupQuery),
          responses: { '200': json('RmaLookupResult', 'Matching RMAs (at most 50).'), ...errors },
        },
      },
      [WMS_PATHS.events]: {
        post: {
          operationId: 'pushEvents',
          requestBody: { required: true, content: { 'application/json': { schema: ref('EventBatch') } } },
          responses: {
            '200': json('EventBatchResult', 'One acknowledgement per event.'),
            ...errors,
            '413': json('Error', 'Body too large.'),
          },
        },
      },
      [WMS_PATHS.blob]: {
        parameters: [{ name: 'sha256', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{64}$' }, description: 'Lowercase hex sha256 of the whole blob.' }],
        get: {
          operationId: 'blobDownload',
          summary: "A complete blob's bytes: how a station fetches the photos a customer attached to a declaration (Rma.declaration.photos).",
          responses: {
            '200': { description: 'The whole blob.', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
            '404': { description: 'The WMS holds no complete blob with this hash.' },
          },
        },
        head: {
          operationId: 'blobStatus',
          description:
            'Where an upload stands. Complete: Upload-Offset = Upload-Length. Partial: Upload-Offset is where the next chunk must start (resume from there).',
          responses: {
            '200': {
              description: 'The WMS holds this blob, completely or in part.',
              headers: {
                'Upload-Offset': { schema: { type: 'integer', minimum: 0 }, description: 'Bytes held.' },
                'Upload-Length': { schema: { type: 'integer', minimum: 1, maximum: BLOB_LIMITS.maxBlobBytes }, description: 'Length of the whole blob.' },
              },
            },
            '404': { description: 'Unknown blob: upload it from byte 0.' },
            '401': errors['401'],
            '503': errors['503'],
          },
        },
        put: {
          operationId: 'putBlobChunk',
          description:
            `Appends one chunk (at most ${BLOB_LIMITS.maxChunkBytes} bytes; blobs at most ${BLOB_LIMITS.maxBlobBytes} bytes). ` +
            'The chunk must start at the current offset, or at 0 to start over. When the last byte arrives the WMS verifies the sha256 ' +
            'and refuses a mismatch (400, the partial copy is dropped). A PUT for a complete blob changes nothing and answers its state.',
          parameters: [
            { name: 'Content-Range', in: 'header', required: true, schema: { type: 'string', pattern: '^bytes \\d+-\\d+/\\d+$' }, description: 'bytes start-end/total (end inclusive).' },
          ],
          requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } },
          responses: {
            '200': json('BlobState', 'The blob after this chunk.'),
            ...errors,
            '409': {
              ...json('Error', 'The chunk does not start at the current offset.'),
              headers: { 'Upload-Offset': { schema: { type: 'integer', minimum: 0 }, description: 'Where the next chunk must start.' } },
            },
            '413': json('Error', 'Chunk too large.'),
          },
        },
      },
      [WMS_PATHS.adminFaults]: {
        'x-demo-only': true,
        get: { operationId: 'getFaults', responses: { '200': json('WmsFaults', 'Current fault switches.'), '401': errors['401'] } },
        post: {
          operationId: 'setFaults',
          requestBody: { required: true, content: { 'application/json': { schema: ref('WmsFaultsPatch') } } },
          responses: { '200': json('WmsFaults', 'Fault switches after the change.'), '400': errors['400'], '401': errors['401'] },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: schemaOf(WmsErrorBody, 'output'),
        WmsHealth: schemaOf(WmsHealth, 'output'),
        ProductPage: schemaOf(ProductPage, 'output'),
        RmaPage: schemaOf(RmaPage, 'output'),
        ManifestPage: schemaOf(ManifestPage, 'output'),
        RmaLookupResult: schemaOf(RmaLookupResult, 'output'),
        EventBatch: schemaOf(EventBatch, 'input'),
        EventBatchResult: schemaOf(EventBatchResult, 'output'),
        BlobState: schemaOf(BlobState, 'output'),
        WmsFaults: schemaOf(WmsFaults, 'output'),
        WmsFaultsPatch: schemaOf(WmsFaultsPatch, 'input'),
      },
    },
  };
}

export function renderWmsOpenApi(): string {
  return `# Generated by scripts/wms-openapi.ts from contract/wms.ts. Do not edit by hand.\n${stringify(buildWmsOpenApi(), { lineWidth: 0, aliasDuplicateObjects: false })}`;
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const text = renderWmsOpenApi();
  if (process.argv.includes('--check')) {
    const current = (() => {
      try {
        return readFileSync(WMS_OPENAPI_FILE, 'utf8');
      } catch {
        return '';
      }
    })();
    if (current !== text) {
      console.error('docs/wms-api.yaml is out of date: run `tsx scripts/wms-openapi.ts`');
      process.exit(1);
    }
  } else {
    writeFileSync(WMS_OPENAPI_FILE, text);
    console.log(`wrote ${WMS_OPENAPI_FILE}`);
  }
}
