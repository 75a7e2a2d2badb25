// A one-EPC-per-line reader over a real socat pty and the real serialport transport.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LineReaderSimulator } from '../../fixtures/rfid-sims/lineReaderSim.js';
import { SocatLink as PtyPair } from '../../fixtures/device-sims/socatLink.js';
import { LineReader } from '../../native/rfid/lineReader.js';
import { dedupeReads } from '../../native/rfid/tagReads.js';
import { SerialTransport } from '../../native/transports/serial.js';
import { record, waitFor } from './rfid-helpers.js';

describe('line-output RFID reader over a socat pty', () => {
  let pty: PtyPair;
  let sim: LineReaderSimulator;
  let reader: LineReader;

  beforeEach(async () => {
    pty = new PtyPair();
    await pty.open();
    sim = new LineReaderSimulator({ path: pty.simPath });
    await sim.start();
    const transport = new SerialTransport({ path: pty.devPath, baudRate: 9600 }, { reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
    reader = new LineReader({ transport, maxLineLength: 128 });
  });

  afterEach(async () => {
    await reader.close();
    await sim.stop();
    await pty.dispose();
  });

  it('reads EPCs in plain, CSV and keyed formats with RSSI and antenna', async () => {
    const rec = record(reader);
    reader.start();
    await waitFor(() => reader.status().state === 'connected', 5000, 'connected');
    await sim.sendTag('30352BD3640C0E40000003E9');
    await sim.sendTag('30352bd3640c0e40000003ea', { rssi: -52, antenna: 2, format: 'csv' });
    await sim.sendTag('E2003412013A0300AB0000000000BEEF', { rssi: -61.5, antenna: 3, format: 'keyed' });
    await waitFor(() => rec.reads.length === 3, 5000, 'three reads');
    expect(rec.reads.map(({ epcHex, rssi, antenna }) => ({ epcHex, rssi, antenna }))).toEqual([
      { epcHex: '30352BD3640C0E40000003E9', rssi: undefined, antenna: undefined },
      { epcHex: '30352BD3640C0E40000003EA', rssi: -52, antenna: 2 },
      { epcHex: 'E2003412013A0300AB0000000000BEEF', rssi: -61.5, antenna: 3 },
    ]);
    expect(rec.reads[0]?.source).toBe(`rfid-line:${pty.devPath}`);
  });

  it('rejects malformed lines with typed errors and keeps reading', async () => {
    const rec = record(reader);
    reader.start();
    await waitFor(() => reader.status().state === 'connected', 5000, 'connected');
    await sim.sendRaw('NOT-A-TAG\r\nE280116\r\nE2801160600002054F2A1B3C,loud\r\n');
    await sim.sendRaw(Buffer.alloc(5000, 0x41)); // a line with no end
    await sim.sendRaw('\r\nE2801160600002054F2A1B3C\r\n');
    await waitFor(() => rec.reads.length === 1, 5000, 'the good read');
    // The flood and the bad lines can arrive in one chunk; which error is reported first may vary.
    expect(rec.errors.map((e) => e.reason).sort()).toEqual(['bad_epc', 'bad_epc', 'bad_rssi', 'overflow']);
    expect(rec.reads[0]?.epcHex).toBe('E2801160600002054F2A1B3C');
  });

  it('dedupes a tag that is read over and over', async () => {
    reader.start();
    const deduped = dedupeReads(reader, { windowMs: 60_000 });
    const seen: string[] = [];
    deduped.onRead((r) => seen.push(r.epcHex));
    const rec = record(reader);
    await waitFor(() => reader.status().state === 'connected', 5000, 'connected');
    for (let i = 0; i < 10; i++) await sim.sendTag('AAAA1111');
    await sim.sendTag('BBBB2222');
    await waitFor(() => rec.reads.length === 11, 5000, 'all raw reads');
    expect(seen).toEqual(['AAAA1111', 'BBBB2222']);
  });

  it('unplug and replug: reconnecting, then reads again', async () => {
    const rec = record(reader);
    reader.start();
    await waitFor(() => reader.status().state === 'connected', 5000, 'connected');
    await sim.sendRaw('AAAA11'); // half a line when the cable is pulled
    // Let the half line be read first: a pty hang-up that lands in the same poll cycle as the last
    // bytes is sometimes missed by the serialport binding (see report; transport-level issue).
    await new Promise((r) => setTimeout(r, 150));
    await pty.close(); // the cable is pulled: the device side vanishes first
    await sim.stop();
    // 'reconnecting' while the device is gone ('error' for a moment if the pty vanishes mid-open).
    await waitFor(() => reader.status().state !== 'connected', 5000, 'not connected');
    expect(reader.status().reason).toBeTruthy();
    await pty.open();
    await sim.start();
    await waitFor(() => reader.status().state === 'connected', 5000, 'connected again');
    await sim.sendTag('CCCC3333');
    await waitFor(() => rec.reads.length === 1, 5000, 'read after replug');
    // The half line from before the unplug was not glued onto the new one.
    expect(rec.reads.map((r) => r.epcHex)).toEqual(['CCCC3333']);
  });
});
