import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SafeStorage } from 'electron';

/** The part of Electron's safeStorage the token keeper needs (OS keychain / DPAPI / libsecret). */
export type TokenCipher = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>;

export type TokenOutcome =
  | { kind: 'from-env-stored' }
  | { kind: 'from-env-not-stored'; reason: string }
  | { kind: 'from-store' }
  | { kind: 'none' }
  | { kind: 'unreadable'; reason: string };

/**
 * A secret given once in the environment (`variable`), kept encrypted with the OS's secret store so later
 * launches need no plain-text copy anywhere; it is never written in the clear. Returns the environment to
 * start the station with (the given one is left alone).
 */
export function resolveStoredSecret(
  env: NodeJS.ProcessEnv,
  variable: 'RS_WMS_TOKEN' | 'RS_HUB_TOKEN',
  cipher: TokenCipher,
  file: string,
): { env: NodeJS.ProcessEnv; outcome: TokenOutcome } {
  const given = env[variable];
  if (given) {
    if (!cipher.isEncryptionAvailable()) {
      return { env, outcome: { kind: 'from-env-not-stored', reason: 'the OS secret store is not available, so the token is used for this run only' } };
    }
    storeSecret(cipher, file, given);
    return { env, outcome: { kind: 'from-env-stored' } };
  }
  if (!existsSync(file)) return { env, outcome: { kind: 'none' } };
  if (!cipher.isEncryptionAvailable()) return { env, outcome: { kind: 'unreadable', reason: 'the OS secret store is not available' } };
  try {
    const token = cipher.decryptString(readFileSync(file));
    return { env: { ...env, [variable]: token }, outcome: { kind: 'from-store' } };
  } catch {
    return { env, outcome: { kind: 'unreadable', reason: `the stored ${variable === 'RS_WMS_TOKEN' ? 'WMS token' : 'hub credential'} could not be decrypted (another user or machine?)` } };
  }
}

/** Owner-only, and only ever the encrypted bytes. */
export function storeSecret(cipher: TokenCipher, file: string, secret: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, cipher.encryptString(secret), { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** The WMS token for this bench (RS_WMS_TOKEN), kept with safeStorage. */
export function resolveWmsToken(env: NodeJS.ProcessEnv, cipher: TokenCipher, file: string): { env: NodeJS.ProcessEnv; outcome: TokenOutcome } {
  return resolveStoredSecret(env, 'RS_WMS_TOKEN', cipher, file);
}
