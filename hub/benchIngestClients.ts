// The simulated benches of `npm run bench:hub`, in a process of their own: real benches are other machines,
// so their HTTP client (request writing, response reading) must not run on the hub's event loop, nor be
// counted in the hub's CPU time. On a 2-core machine they still share the cores with the hub and PostgreSQL.
//
// Input (argv): the hub's URL and a file of JSON lines, one per batch: {"token": "...", "body": "..."}, the
// body already serialised (a real bench serialises on its own machine). The batches of one token are sent in
// file order, one at a time; all tokens at once. Prints "ready", waits for "go" on stdin, prints
// "done <seconds> <cpu seconds of this process>" (or "failed <message>") and exits.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';

const [hubUrl, batchesFile] = process.argv.slice(2);
if (!hubUrl || !batchesFile) throw new Error('usage: benchIngestClients.ts <hub url> <batches file>');

const byBench = new Map<string, string[]>();
for (const line of readFileSync(batchesFile, 'utf8').split('\n')) {
  if (!line) continue;
  const { token, body } = JSON.parse(line) as { token: string; body: string };
  const list = byBench.get(token) ?? [];
  list.push(body);
  byBench.set(token, list);
}

// node:http with a keep-alive agent, one connection per bench as a real bench has: fetch (undici) spent about twice
// the CPU per request here, and these processes share the hub's two cores.
const agent = new Agent({ keepAlive: true, maxSockets: byBench.size });
const url = new URL(hubUrl + '/api/v1/events');

function deliver(token: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`ingest refused: HTTP ${res.statusCode} ${Buffer.concat(chunks).toString('utf8')}`))));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const lines = createInterface({ input: process.stdin });
console.log('ready');
for await (const line of lines) {
  if (line.trim() !== 'go') continue;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    await Promise.all([...byBench].map(async ([token, bodies]) => {
      for (const body of bodies) await deliver(token, body);
    }));
    const cpu = process.cpuUsage(cpu0);
    console.log(`done ${((performance.now() - t0) / 1000).toFixed(3)} ${((cpu.user + cpu.system) / 1e6).toFixed(3)}`);
  } catch (err) {
    console.log(`failed ${err instanceof Error ? err.message : String(err)}`);
  }
  break;
}
lines.close();
agent.destroy();
