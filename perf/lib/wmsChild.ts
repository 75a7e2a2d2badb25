// The demo WMS in a process of its own, for the busy bench: a real WMS is another machine, so its work
// must not count against the station's event loop. Prints "URL <base url>" once listening; exits on SIGTERM.
import { startDemoWms } from '../../fixtures/demo-wms/server.js';

const [dbFile, token] = process.argv.slice(2);
if (!dbFile || !token) throw new Error('usage: wmsChild.ts <db file> <token>');
const wms = await startDemoWms({ dbFile, token });
process.stdout.write(`URL ${wms.url}\n`);
process.on('SIGTERM', () => void wms.close().then(() => process.exit(0)));
