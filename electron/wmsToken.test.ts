import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveWmsToken, type TokenCipher } from './wmsToken.js';

// A stand-in for safeStorage: reversible, and plainly not the clear text.
const cipher = (available = true): TokenCipher => ({
  isEncryptionAvailable: () => available,
  encryptString: (s: string) => Buffer.from(`enc:${Buffer.from(s).toString('base64').split('').reverse().join('')}`),
  decryptString: (b: Buffer) => {
    const t = b.toString();
    if (!t.startsWith('enc:')) throw new Error('bad');
    return Buffer.from(t.slice(4).split('').reverse().join(''), 'base64').toString();
  },
});

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rs-token-'));
  file = join(dir, 'wms-token.bin');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('WMS token kept with safeStorage', () => {
  it('stores a token given in the environment encrypted (owner-only), never in the clear', () => {
    const r = resolveWmsToken({ RS_WMS_TOKEN: 'secret-token-123' }, cipher(), file);
    expect(r.outcome.kind).toBe('from-env-stored');
    const raw = readFileSync(file);
    expect(raw.toString()).not.toContain('secret-token-123');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('gives the stored token to the next launch without any environment variable', () => {
    resolveWmsToken({ RS_WMS_TOKEN: 'secret-token-123' }, cipher(), file);
    const env = { PATH: '/bin' };
    const r = resolveWmsToken(env, cipher(), file);
    expect(r.outcome.kind).toBe('from-store');
    expect(r.env.RS_WMS_TOKEN).toBe('secret-token-123');
    expect(env).not.toHaveProperty('RS_WMS_TOKEN');
  });

  it('does not write anything when the OS secret store is unavailable', () => {
    const r = resolveWmsToken({ RS_WMS_TOKEN: 'secret-token-123' }, cipher(false), file);
    expect(r.outcome.kind).toBe('from-env-not-stored');
    expect(existsSync(file)).toBe(false);
  });

  it('reports a token it cannot decrypt instead of starting with garbage', () => {
    resolveWmsToken({ RS_WMS_TOKEN: 'secret-token-123' }, cipher(), file);
    const broken: TokenCipher = { ...cipher(), decryptString: () => { throw new Error('wrong key'); } };
    const r = resolveWmsToken({}, broken, file);
    expect(r.outcome.kind).toBe('unreadable');
    expect(r.env.RS_WMS_TOKEN).toBeUndefined();
  });
});
