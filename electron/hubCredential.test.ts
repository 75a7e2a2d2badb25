import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveHubCredential } from './hubCredential.js';
import type { TokenCipher } from './wmsToken.js';

const cipher = (available = true): TokenCipher => ({
  isEncryptionAvailable: () => available,
  encryptString: (s: string) => Buffer.from(`enc:${Buffer.from(s).toString('base64').split('').reverse().join('')}`),
  decryptString: (b: Buffer) => Buffer.from(b.toString().slice(4).split('').reverse().join(''), 'base64').toString(),
});

const CREDENTIAL = { siteId: 'SITE-01', stationId: 'BENCH-07', token: 'rsb_enrolled_credential_abcdef' };

/** A hub's enrolment endpoint: answers a known code once. */
function hub(): { fetch: typeof fetch; codes: string[] } {
  const codes: string[] = [];
  const f = (async (url: string | URL | Request, init?: RequestInit) => {
    expect(String(url)).toBe('http://hub.test:8090/hub/v1/enrol');
    const { code } = JSON.parse(String(init?.body)) as { code: string };
    codes.push(code);
    if (code !== 'ABCD-EFGH-IJKL' || codes.length > 1) return new Response(JSON.stringify({ error: 'error.hub.badEnrolmentCode' }), { status: 401 });
    return new Response(JSON.stringify(CREDENTIAL), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { fetch: f, codes };
}

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-hubcred-'));
  file = join(dir, 'userData', 'hub-token.bin');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('hub credential from enrolment', () => {
  it('exchanges the one-time code, keeps the credential encrypted, and later launches need neither code nor station id', async () => {
    const h = hub();
    const r = await resolveHubCredential({ RS_HUB_URL: 'http://hub.test:8090/', RS_HUB_ENROL_CODE: 'ABCD-EFGH-IJKL' }, cipher(), file, { fetch: h.fetch });
    expect(r.outcome).toEqual({ kind: 'enrolled', stationId: 'BENCH-07' });
    expect(r.env).toMatchObject({ RS_HUB_TOKEN: CREDENTIAL.token, RS_STATION_ID: 'BENCH-07' });
    expect(r.env.RS_HUB_ENROL_CODE).toBeUndefined();
    expect(readFileSync(file).toString()).not.toContain(CREDENTIAL.token);

    const later = await resolveHubCredential({ RS_HUB_URL: 'http://hub.test:8090/' }, cipher(), file, { fetch: h.fetch });
    expect(later.outcome.kind).toBe('from-store');
    expect(later.env).toMatchObject({ RS_HUB_TOKEN: CREDENTIAL.token, RS_STATION_ID: 'BENCH-07' });
    expect(h.codes).toHaveLength(1);
  });

  it('does not spend the code when there is no OS secret store to keep the credential in', async () => {
    const h = hub();
    const r = await resolveHubCredential({ RS_HUB_URL: 'http://hub.test:8090', RS_HUB_ENROL_CODE: 'ABCD-EFGH-IJKL' }, cipher(false), file, { fetch: h.fetch });
    expect(r.outcome.kind).toBe('enrolment-refused');
    expect(h.codes).toEqual([]);
    expect(existsSync(file)).toBe(false);
  });

  it('says why when the hub refuses the code, and stores nothing', async () => {
    const h = hub();
    const r = await resolveHubCredential({ RS_HUB_URL: 'http://hub.test:8090', RS_HUB_ENROL_CODE: 'WRONG-CODE-0000' }, cipher(), file, { fetch: h.fetch });
    expect(r.outcome).toEqual({ kind: 'enrolment-refused', reason: 'the hub refused the enrolment code (HTTP 401)' });
    expect(r.env.RS_HUB_TOKEN).toBeUndefined();
    expect(existsSync(file)).toBe(false);
  });
});
