// The bench's site-hub credential, kept like the WMS token: encrypted with Electron's safeStorage in userData,
// never in a plain file. It comes either from RS_HUB_TOKEN, or from enrolment: with RS_HUB_URL and a
// supervisor's one-time RS_HUB_ENROL_CODE, the bench exchanges the code for its credential at launch (and keeps
// which bench it was enrolled as beside it, so later launches need neither the code nor RS_STATION_ID).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { BenchCredential, HUB_ENROL_PATH } from '../contract/index.js';
import { resolveStoredSecret, storeSecret, type TokenCipher, type TokenOutcome } from './wmsToken.js';

export type HubCredentialOutcome = TokenOutcome | { kind: 'enrolled'; stationId: string } | { kind: 'enrolment-refused'; reason: string };

/** Which bench the stored credential belongs to (not a secret): a later launch takes its station id from it. */
const EnrolledBench = BenchCredential.pick({ siteId: true, stationId: true });
const benchFile = (file: string): string => `${file.replace(/\.bin$/, '')}.json`;

function withEnrolledStation(env: NodeJS.ProcessEnv, file: string): NodeJS.ProcessEnv {
  if (env.RS_STATION_ID || !env.RS_HUB_TOKEN || !existsSync(benchFile(file))) return env;
  const bench = EnrolledBench.safeParse(JSON.parse(readFileSync(benchFile(file), 'utf8')) as unknown);
  return bench.success ? { ...env, RS_STATION_ID: bench.data.stationId } : env;
}

export async function resolveHubCredential(
  env: NodeJS.ProcessEnv,
  cipher: TokenCipher,
  file: string,
  options: { fetch?: typeof fetch } = {},
): Promise<{ env: NodeJS.ProcessEnv; outcome: HubCredentialOutcome }> {
  const { RS_HUB_ENROL_CODE: code, ...rest } = env;
  if (!code || env.RS_HUB_TOKEN || !env.RS_HUB_URL) {
    const stored = resolveStoredSecret(rest, 'RS_HUB_TOKEN', cipher, file);
    return stored.outcome.kind === 'from-store' ? { ...stored, env: withEnrolledStation(stored.env, file) } : stored;
  }
  // A code is good once: spent without a safe place for the credential, the bench would need a new code next launch.
  if (!cipher.isEncryptionAvailable()) {
    return { env: rest, outcome: { kind: 'enrolment-refused', reason: 'the OS secret store is not available to keep the hub credential, so the enrolment code was not used' } };
  }
  const doFetch = options.fetch ?? fetch;
  let credential: BenchCredential;
  try {
    const res = await doFetch(env.RS_HUB_URL.replace(/\/+$/, '') + HUB_ENROL_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
      signal: AbortSignal.timeout(15_000),
    });
    if (!res.ok) return { env: rest, outcome: { kind: 'enrolment-refused', reason: `the hub refused the enrolment code (HTTP ${res.status})` } };
    credential = BenchCredential.parse(await res.json());
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : err instanceof Error ? err.message : String(err);
    return { env: rest, outcome: { kind: 'enrolment-refused', reason: `enrolment at the hub failed: ${cause}` } };
  }
  storeSecret(cipher, file, credential.token);
  writeFileSync(benchFile(file), JSON.stringify(EnrolledBench.parse(credential)), { mode: 0o600 });
  return {
    env: { ...rest, RS_HUB_TOKEN: credential.token, RS_STATION_ID: env.RS_STATION_ID ?? credential.stationId },
    outcome: { kind: 'enrolled', stationId: credential.stationId },
  };
}
