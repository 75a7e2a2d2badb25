// The demo WMS in a child process (perf/lib/wmsChild.ts): a real WMS is another machine, so its work (its
// SQLite reads, JSON of every page) must not count against the station's process or its event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface WmsProcess {
  url: string;
  token: string;
  child: ChildProcess;
  stop(): void;
}

export async function startWmsProcess(dbFile: string, token = 'bench-token'): Promise<WmsProcess> {
  const script = fileURLToPath(new URL('./wmsChild.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, dbFile, token], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    if (line.startsWith('URL ')) return { url: line.slice(4).trim(), token, child, stop: () => void child.kill('SIGTERM') };
  }
  throw new Error('the demo WMS child exited before it listened');
}
