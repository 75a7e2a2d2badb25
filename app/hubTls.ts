// CA pinning for a bench's connection to its site hub (RS_HUB_CA): only certificates chaining to the given CA
// are accepted, not the OS's public roots. Node's own fetch cannot be given a CA per request; undici (the
// library Node's fetch is built on) can, through an Agent.
import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';

/** The PEM of the CA file, or a sentence saying what is wrong with it. */
export function readHubCa(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`RS_HUB_CA: cannot read ${file} (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`RS_HUB_CA: ${file} holds no PEM certificate`);
  return pem;
}

/** A fetch that trusts only `caPem` for HTTPS (plain HTTP is unaffected). */
export function pinnedFetch(caPem: string): typeof fetch {
  const dispatcher = new Agent({ connect: { ca: caPem } });
  const pinned = (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    // undici's own Request/Response classes are the global ones' twins; the station only uses their common surface.
    undiciFetch(input instanceof Request ? input.url : input, { ...(init as object), dispatcher } as Parameters<typeof undiciFetch>[1]) as unknown as Promise<Response>;
  return pinned as typeof fetch;
}
