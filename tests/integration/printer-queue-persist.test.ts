// The print queue on SQLite: a label survives a crash, and a job that may have reached the
// printer before the crash is held for the operator instead of printing twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/connection.js';
import { listPrintJobs, sqlitePrintJobStore } from '../../db/repositories/printJobs.js';
import { startTcpPrinterSim } from '../../fixtures/printer-sim/tcpPrinter.js';
import { labelJobId, sampleLabel } from '../../contract/label.js';
import { createLabelPrinter } from '../../native/printers/labelPrinter.js';
import { closedPort } from '../../fixtures/printer-sim/closedPort.js';

const CHILD = fileURLToPath(new URL('./printer-queue-child.ts', import.meta.url));
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function tempDb(): { file: string; open(): Db } {
  const dir = mkdtempSync(join(tmpdir(), 'print-queue-'));
  const dbs: Db[] = [];
  cleanups.push(() => {
    for (const d of dbs) if (d.open) d.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const file = join(dir, 'station.db');
  return {
    file,
    open() {
      const d = openDatabase(file);
      dbs.push(d);
      return d;
    },
  };
}

function runChild(dbFile: string, port: number, lpn: string): { child: ChildProcess; said(line: string): Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dbFile, String(port), lpn], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  return {
    child,
    said: (line) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (out.includes(line)) resolve();
        };
        child.stdout!.on('data', check);
        child.once('exit', (code) => reject(new Error(`child exited (${code}) before saying ${line}; said ${out}`)));
        check();
      }),
  };
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}


describe('print queue persisted in SQLite', () => {
  it('prints after a restart a label that was queued while the printer was down', async () => {
    const db = tempDb();
    db.open().close(); // migrate before the child uses it
    const port = await closedPort();
    const run = runChild(db.file, port, 'LPN-000777');
    await run.said('outcome queued');
    await kill(run.child);

    const printerSim = await startTcpPrinterSim({ port });
    cleanups.push(() => printerSim.close());
    const conn = db.open();
    expect(listPrintJobs(conn, ['pending']).map((j) => j.id)).toEqual([labelJobId('LPN-000777')]);
    const printer = createLabelPrinter({ transport: 'tcp', host: '127.0.0.1', port, language: 'zpl', timeoutMs: 2000 }, { store: sqlitePrintJobStore(conn) });
    cleanups.push(() => printer.close());
    printer.retryNow(); // the operator does not wait out the backoff the crashed station left
    const [job] = await printerSim.waitForJobs(1);
    expect(job!.toString()).toContain('^FD>:LPN-000777^FS');
    await printer.close();
    expect(listPrintJobs(conn, ['printed']).map((j) => j.id)).toEqual([labelJobId('LPN-000777')]);
    expect(printerSim.jobs).toHaveLength(1);
  });

  it('holds, not resends, a label the station was sending when it was killed', async () => {
    const db = tempDb();
    db.open().close();
    // A printer that takes the bytes and never closes: the child is stuck in 'sending'.
    const sockets = new Set<net.Socket>();
    let received = 0;
    const slow = net.createServer({ allowHalfOpen: true }, (s) => {
      sockets.add(s);
      s.on('data', (c: Buffer) => (received += c.length));
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    cleanups.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => slow.close(() => r()));
    });
    const { port } = slow.address() as net.AddressInfo;
    const run = runChild(db.file, port, 'LPN-000888');
    await run.said('printing');
    await expect.poll(() => received, { timeout: 10_000 }).toBeGreaterThan(0);
    await kill(run.child);

    const conn = db.open();
    expect(listPrintJobs(conn, ['sending']).map((j) => j.id)).toEqual([labelJobId('LPN-000888')]);
    const printerSim = await startTcpPrinterSim();
    cleanups.push(() => printerSim.close());
    const printer = createLabelPrinter(
      { transport: 'tcp', host: '127.0.0.1', port: printerSim.port, language: 'zpl', timeoutMs: 2000 },
      { store: sqlitePrintJobStore(conn) },
    );
    cleanups.push(() => printer.close());
    expect(printer.jobs()).toEqual([expect.objectContaining({ id: labelJobId('LPN-000888'), state: 'uncertain' })]);
    // Printing the same item again does not print it either; only an explicit reprint does.
    await expect(printer.print(sampleLabel({ lpn: 'LPN-000888' }))).resolves.toMatchObject({ status: 'failed' });
    expect(printerSim.jobs).toHaveLength(0);
    await expect(printer.reprint(labelJobId('LPN-000888'))).resolves.toMatchObject({ status: 'printed' });
    expect(printerSim.jobs).toHaveLength(1);
  });
});
