// photo.get: leads read back a stored review photo; unknown or malformed hashes are refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, testPng, type Harness } from './harness.test-helper.js';

const PNG_B64 = testPng().toString('base64');

let h: Harness;
beforeEach(async () => {
  h = await createHarness(() => undefined);
  await h.signIn('staff', 'staff');
  await h.signIn('lead', 'lead');
});
afterEach(() => h.close());

describe('photo.get', () => {
  it('returns the stored bytes and type to a lead', async () => {
    const stored = await h.ok<{ sha256: string }>('staff', 'photo.attach', { dataBase64: PNG_B64 });
    const got = await h.ok<{ mime: string; dataBase64: string }>('lead', 'photo.get', { sha256: stored.sha256 });
    expect(got.mime).toBe('image/png');
    expect(got.dataBase64).toBe(PNG_B64);
  });

  it('is refused to staff', async () => {
    const stored = await h.ok<{ sha256: string }>('staff', 'photo.attach', { dataBase64: PNG_B64 });
    const r = await h.handle('staff', 'photo.get', { sha256: stored.sha256 });
    expect(r.ok ? 'ok' : r.error.code).toBe('FORBIDDEN');
  });

  it('refuses an unknown hash with NOT_FOUND and a malformed one as invalid input', async () => {
    const unknown = await h.handle('lead', 'photo.get', { sha256: 'a'.repeat(64) });
    expect(unknown.ok ? 'ok' : unknown.error.code).toBe('NOT_FOUND');
    for (const sha256 of ['../../etc/passwd', 'A'.repeat(64), 'a'.repeat(63)]) {
      const bad = await h.handle('lead', 'photo.get', { sha256 });
      expect(bad.ok ? 'ok' : bad.error.code).toBe('INVALID_INPUT');
    }
    const extra = await h.handle('lead', 'photo.get', { sha256: 'a'.repeat(64), path: 'x' });
    expect(extra.ok ? 'ok' : extra.error.code).toBe('INVALID_INPUT');
  });
});
