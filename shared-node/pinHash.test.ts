import { describe, expect, it } from 'vitest';
import { hashPin, verifyPin } from './pinHash.js';

describe('the site PIN hash', () => {
  it('checks a PIN against its hash, and refuses another PIN', async () => {
    const stored = await hashPin('2468');
    expect(stored).toMatch(/^scrypt\$32768\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPin('2468', stored)).toBe(true);
    expect(await verifyPin('2469', stored)).toBe(false);
  });

  it('salts each hash, so one PIN hashed twice gives two strings that both check', async () => {
    const [a, b] = [await hashPin('1234'), await hashPin('1234')];
    expect(a).not.toBe(b);
    expect(await verifyPin('1234', a)).toBe(true);
    expect(await verifyPin('1234', b)).toBe(true);
  });

  it('refuses a stored value of another scheme or cost, or a malformed one, without throwing', async () => {
    const stored = await hashPin('2468');
    expect(await verifyPin('2468', stored.replace('scrypt$', 'bcrypt$'))).toBe(false);
    expect(await verifyPin('2468', stored.replace('$32768$', '$16384$'))).toBe(false);
    expect(await verifyPin('2468', 'scrypt$32768$')).toBe(false);
    expect(await verifyPin('2468', '')).toBe(false);
  });
});
