// Child process for printer-queue-persist.test.ts: a station that prints one label through the
// SQLite-backed queue and is then killed (SIGKILL) by the test, mid-send or later.
import { openDatabase } from '../../db/connection.js';
import { sqlitePrintJobStore } from '../../db/repositories/printJobs.js';
import { sampleLabel } from '../../contract/label.js';
import { createLabelPrinter } from '../../native/printers/labelPrinter.js';

const [dbFile, port, lpn] = process.argv.slice(2);
if (!dbFile || !port || !lpn) throw new Error('usage: printer-queue-child <db> <port> <lpn>');
const db = openDatabase(dbFile);
const printer = createLabelPrinter(
  { transport: 'tcp', host: '127.0.0.1', port: Number(port), language: 'zpl', timeoutMs: 60_000 },
  { store: sqlitePrintJobStore(db), statusCheck: false, retry: { initialDelayMs: 60_000 } },
);
void printer.print(sampleLabel({ lpn })).then((o) => process.stdout.write(`outcome ${o.status}\n`));
process.stdout.write('printing\n');
