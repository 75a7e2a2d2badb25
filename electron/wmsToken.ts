import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
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
 * The WMS token for this bench. A token given in RS_WMS_TOKEN is kept encrypted with the OS's
 * secret store so later launches need no plain-text token anywhere; it is never written in the clear.
 * Returns the environment to start the station with (process.env is left alone).
 */
export function resolveWmsToken(env: NodeJS.ProcessEnv, cipher: TokenCipher, file: string): { env: NodeJS.ProcessEnv; outcome: TokenOutcome } {
  const given = env.RS_WMS_TOKEN;
  if (given) {
    if (!cipher.isEncryptionAvailable()) {
      return { env, outcome: { kind: 'from-env-not-stored', reason: 'the OS secret store is not available, so the token is used for this run only' } };
    }
    writeFileSync(file, cipher.encryptString(given), { mode: 0o600 });
    chmodSync(file, 0o600);
    return { env, outcome: { kind: 'from-env-stored' } };
  }
  if (!existsSync(file)) return { env, outcome: { kind: 'none' } };
  if (!cipher.isEncryptionAvailable()) return { env, outcome: { kind: 'unreadable', reason: 'the OS secret store is not available' } };
  try {
    const token = cipher.decryptString(readFileSync(file));
    return { env: { ...env, RS_WMS_TOKEN: token }, outcome: { kind: 'from-store' } };
  } catch {
    return { env, outcome: { kind: 'unreadable', reason: 'the stored WMS token could not be decrypted (another user or machine?)' } };
  }
}
