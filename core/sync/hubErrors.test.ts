// A site hub refuses with an i18n key in the WMS error body (contract/hub.ts); the sync bar says that key.
import { describe, expect, it } from 'vitest';
import { HUB_ERRORS } from '../../contract/index.js';
import { syncErrorKey } from './syncEngine.js';
import { createWmsClient, WmsError } from './wmsClient.js';

const answering = (status: number, body: unknown): typeof fetch =>
  (async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })) as typeof fetch;

async function refusal(status: number, body: unknown): Promise<WmsError> {
  const client = createWmsClient({ baseUrl: 'http://hub.test', token: 'rsb_test_credential', fetch: answering(status, body) });
  const err = await client.health().catch((e: unknown) => e);
  if (!(err instanceof WmsError)) throw new Error('expected a WmsError');
  return err;
}

describe('hub error keys in the sync bar', () => {
  it('a revoked bench shows the hub key, not the generic WMS token text', async () => {
    const err = await refusal(401, { error: HUB_ERRORS.unauthenticated, details: { message: 'unknown or revoked bench credential' } });
    expect(err).toMatchObject({ kind: 'auth', code: 'error.hub.unauthenticated' });
    expect(syncErrorKey(err, 'http://hub.test')).toEqual({ key: 'error.hub.unauthenticated', params: { url: 'http://hub.test' } });
  });

  it('a hub that is stopping shows its key, and stays retryable', async () => {
    const err = await refusal(503, { error: HUB_ERRORS.shuttingDown });
    expect(err.retryable).toBe(true);
    expect(syncErrorKey(err, 'http://hub.test').key).toBe('error.hub.shuttingDown');
  });

  it("a WMS's own error codes keep the generic keys", async () => {
    const err = await refusal(503, { error: 'maintenance' });
    expect(syncErrorKey(err, 'http://wms.test')).toEqual({ key: 'sync.error.httpRetry', params: { status: 503 } });
  });
});
