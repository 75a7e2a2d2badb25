// The Chafon driver against the simulator over a real socat pty pair, through the real
// serialport transport: inventory rounds, multi-frame answers, corrupted bytes, unplug/replug.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChafonSimulator } from '../../fixtures/rfid-sims/chafonSim.js';
import { SocatLink as PtyPair } from '../../fixtures/device-sims/socatLink.js';
import { ChafonReader } from '../../native/rfid/chafon.js';
import { collectParcel } from '../../native/rfid/tagReads.js';
import { SerialTransport } from '../../native/transports/serial.js';
import { record, waitFor } from './rfid-helpers.js';

const TAGS = [
  { epcHex: '30352BD3640C0E40000003E9', rssi: 0x48, antenna: 1 },
  { epcHex: '30352BD3640C0E40000003EA', rssi: 0x50, antenna: 1 },
  { epcHex: '30352BD364350C4000000007', rssi: 0x3c, antenna: 1 },
  { epcHex: 'E28068940000500A9D2298C6', rssi: 0x44, antenna: 1 },
  { epcHex: 'E2003412013A0300AB0000000000BEEF', rssi: 0x41, antenna: 1 },
];

describe('Chafon UHF reader over a socat pty', () => {
  let pty: PtyPair;
  let sim: ChafonSimulator;
  let reader: ChafonReader;

  beforeEach(async () => {
    pty = new PtyPair();
    await pty.open();
    sim = new ChafonSimulator({ path: pty.simPath, tagsPerFrame: 2 });
    await sim.start();
    const transport = new SerialTransport({ path: pty.devPath, baudRate: 57600 }, { reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
    reader = new ChafonReader({ transport, pollIntervalMs: 20, responseTimeoutMs: 400, maxMissedRounds: 2 });
  });

  afterEach(async () => {
    await reader.close();
    await sim.stop();
    await pty.dispose();
  });

  it('reads a whole parcel: every tag of a multi-frame inventory, with antenna and RSSI', async () => {
    sim.tags = TAGS;
    const rec = record(reader);
    reader.start();
    await waitFor(() => reader.status().state === 'connected', 5000, 'connected');
    const parcel = await collectParcel(reader, { durationMs: 600 });
    expect(parcel.tags.map((t) => t.epcHex).sort()).toEqual(TAGS.map((t) => t.epcHex).sort());
    expect(parcel.tags.find((t) => t.epcHex === TAGS[0]?.epcHex)).toMatchObject({ antennas: [1], bestRssi: 0x48 });
    expect(rec.reads[0]?.source).toBe(`chafon:${pty.devPath}`);
    expect(rec.errors).toEqual([]);
    expect(sim.commands).toBeGreaterThan(1);
  });

  it('one inventory() call returns the tags of one complete round', async () => {
    sim.tags = TAGS.slice(0, 3);
    reader.start();
    await waitFor(() => reader.status().state === 'connected', 5000, 'connected');
    const r = await reader.inventory();
    expect(r.ok && r.tags.map((t) => t.epcHex)).toEqual(TAGS.slice(0, 3).map((t) => t.epcHex));
    sim.tags = [];
    const empty = await reader.inventory();
    expect(empty).toEqual({ ok: true, tags: [] });
  });

  it('survives frames split into single bytes and garbage between frames', async () => {
    sim.tags = TAGS.slice(0, 2);
    const rec = record(reader);
    sim.fault = 'split';
    reader.start();
    await waitFor(() => rec.epcs().size === 2, 5000, 'reads from split frames');
    sim.fault = 'garbage_before';
    const before = rec.reads.length;
    await waitFor(() => rec.reads.length > before + 4, 5000, 'reads behind garbage');
    expect(rec.errors.some((e) => e.reason === 'garbage' || e.reason === 'bad_length')).toBe(true);
    expect(rec.reads.every((r) => TAGS.some((t) => t.epcHex === r.epcHex))).toBe(true);
  });

  it('bad CRCs yield typed errors and no reads; a silent reader is reported; both recover', async () => {
    sim.tags = TAGS.slice(0, 1);
    const rec = record(reader);
    sim.fault = 'bad_crc';
    reader.start();
    await waitFor(() => rec.errors.some((e) => e.reason === 'bad_crc'), 5000, 'bad_crc error');
    expect(rec.reads).toEqual([]);
    await waitFor(() => reader.status().state === 'error', 5000, 'error status');
    expect(reader.status().reason).toMatch(/does not answer|misbehaving/);
    sim.fault = 'none';
    await waitFor(() => rec.reads.length > 0 && reader.status().state === 'connected', 8000, 'recovery');
  });

  it('reports an antenna error status as a typed error', async () => {
    sim.tags = TAGS;
    sim.fault = 'antenna_error';
    reader.start();
    await waitFor(() => reader.status().state === 'connected', 5000, 'connected');
    const r = await reader.inventory();
    expect(!r.ok && r.error.reason).toBe('bad_status');
  });

  it('unplug: status says reconnecting; replug: reads resume without a restart', async () => {
    sim.tags = TAGS.slice(0, 2);
    const rec = record(reader);
    reader.start();
    await waitFor(() => rec.reads.length > 0, 5000, 'first reads');
    await pty.close(); // the cable is pulled: the device side vanishes first
    await sim.stop();
    await waitFor(() => reader.status().state !== 'connected', 5000, 'not connected');
    expect(reader.status().reason).toBeTruthy();
    await pty.open();
    await sim.start();
    const replugged = Date.now();
    const n = rec.reads.length;
    await waitFor(() => reader.status().state === 'connected' && rec.reads.length > n, 5000, 'reads after replug');
    expect(Date.now() - replugged).toBeLessThan(3000);
  });

  it('a megabyte of garbage is dropped in bounded steps and reading carries on', async () => {
    sim.tags = TAGS.slice(0, 1);
    const rec = record(reader);
    reader.start();
    await waitFor(() => rec.reads.length > 0, 5000, 'first reads');
    const noise = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) & 0xff;
    let ticks = 0;
    const tick = setInterval(() => ticks++, 10);
    await sim.sendRaw(noise);
    const n = rec.reads.length;
    await waitFor(() => rec.reads.length > n + 3, 15_000, 'reads after flood');
    clearInterval(tick);
    expect(ticks).toBeGreaterThan(0); // the event loop kept turning
    expect(rec.errors.length).toBeGreaterThan(0);
  });
});
