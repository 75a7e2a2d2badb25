// The LLRP client against the LLRP reader simulator over TCP on 127.0.0.1: setup sequence,
// tag reports, keepalives, dead-link detection, unplug/replug, malformed messages.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LlrpReaderSimulator } from '../../fixtures/rfid-sims/llrpSim.js';
import { LlrpReader, type LlrpReaderOptions } from '../../native/rfid/llrp/client.js';
import { MessageType } from '../../native/rfid/llrp/constants.js';
import { collectParcel } from '../../native/rfid/tagReads.js';
import { record, waitFor } from './rfid-helpers.js';

const TAGS = [
  { epcHex: '30352BD3640C0E40000003E9', antenna: 1, peakRssi: -48 },
  { epcHex: '30352BD364350C4000000007', antenna: 2, peakRssi: -63 },
  { epcHex: 'E2003412013A0300AB0000000000BEEF', antenna: 2, peakRssi: -70 },
];

describe('LLRP fixed reader over TCP', () => {
  let sim: LlrpReaderSimulator;
  const readers: LlrpReader[] = [];
  const makeReader = (o: Partial<LlrpReaderOptions> = {}): LlrpReader => {
    const r = new LlrpReader({
      host: '127.0.0.1',
      port: sim.port,
      keepaliveMs: 100,
      missedKeepalives: 3,
      responseTimeoutMs: 1000,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
      ...o,
    });
    readers.push(r);
    return r;
  };

  beforeEach(async () => {
    sim = new LlrpReaderSimulator({ reportIntervalMs: 30 });
    sim.tags = TAGS;
    await sim.start();
  });

  afterEach(async () => {
    for (const r of readers.splice(0)) await r.close();
    await sim.stop();
  });

  it('sets up the ROSpec, streams tag reads with antenna, RSSI and time, and answers keepalives', async () => {
    const reader = makeReader({ fetchCapabilities: true });
    const rec = record(reader);
    reader.start();
    await waitFor(() => reader.status().state === 'connected', 5000, 'connected');
    for (const t of [MessageType.SET_READER_CONFIG, MessageType.DELETE_ROSPEC, MessageType.ADD_ROSPEC, MessageType.ENABLE_ROSPEC, MessageType.START_ROSPEC]) {
      expect(sim.stats.received.get(t)).toBe(1);
    }
    expect(reader.capabilities()).toMatchObject({ maxAntennas: 4, hasUtcClock: true, firmware: 'sim-1.0' });
    const parcel = await collectParcel(reader, { durationMs: 300 });
    expect(parcel.tags.map((t) => t.epcHex).sort()).toEqual(TAGS.map((t) => t.epcHex).sort());
    const first = rec.reads.find((r) => r.epcHex === TAGS[1]?.epcHex);
    expect(first).toMatchObject({ antenna: 2, rssi: -63, source: `llrp:127.0.0.1:${sim.port}` });
    expect(Math.abs((first?.at ?? 0) - Date.now())).toBeLessThan(10_000);
    await waitFor(() => sim.stats.keepaliveAcks >= 2, 5000, 'keepalive acks');
    expect(rec.errors).toEqual([]);
  });

  it('closes politely with CLOSE_CONNECTION', async () => {
    const reader = makeReader();
    reader.start();
    await waitFor(() => reader.status().state === 'connected', 5000, 'connected');
    await reader.close();
    expect(sim.stats.received.get(MessageType.CLOSE_CONNECTION)).toBe(1);
    expect(reader.status().state).toBe('stopped');
  });

  it('unplug: reconnecting with a reason; replug: set up again and reads resume', async () => {
    const reader = makeReader();
    const rec = record(reader);
    reader.start();
    await waitFor(() => rec.reads.length > 0, 5000, 'first reads');
    await sim.unplug();
    await waitFor(() => reader.status().state === 'reconnecting', 5000, 'reconnecting');
    expect(reader.status().reason).toMatch(/closed|failed/);
    await sim.replug();
    const n = rec.reads.length;
    await waitFor(() => reader.status().state === 'connected' && rec.reads.length > n, 5000, 'reads after replug');
    expect(sim.stats.connections).toBe(2);
    expect(sim.stats.received.get(MessageType.ADD_ROSPEC)).toBe(2);
  });

  it('detects a dead link from missed keepalives and reconnects', async () => {
    const reader = makeReader();
    const rec = record(reader);
    reader.start();
    await waitFor(() => reader.status().state === 'connected', 5000, 'connected');
    sim.silent = true;
    await waitFor(() => reader.status().state !== 'connected', 5000, 'dead link noticed');
    expect(rec.statuses.some((s) => /KEEPALIVE/.test(s.reason ?? ''))).toBe(true);
    sim.silent = false;
    const n = rec.reads.length;
    await waitFor(() => reader.status().state === 'connected' && rec.reads.length > n, 8000, 'back after silence');
    expect(sim.stats.connections).toBeGreaterThanOrEqual(2);
  });

  it('malformed but well-framed messages give typed errors and the connection stays up', async () => {
    const reader = makeReader();
    const rec = record(reader);
    reader.start();
    await waitFor(() => reader.status().state === 'connected', 5000, 'connected');
    sim.sendMalformed('unknown_type');
    sim.sendMalformed('truncated_tlv');
    sim.sendMalformed('unknown_tv');
    sim.sendMalformed('bad_epc_bits');
    await waitFor(() => rec.errors.length >= 4, 5000, 'four errors');
    expect(rec.errors.map((e) => e.reason).sort()).toEqual(['bad_epc', 'truncated', 'unknown_type', 'unknown_type']);
    const n = rec.reads.length;
    await waitFor(() => rec.reads.length > n, 5000, 'reads continue');
    expect(sim.stats.connections).toBe(1);
    expect(reader.status().state).toBe('connected');
  });

  it.each(['bad_length', 'huge_length'] as const)('a corrupt header (%s) resets the connection cleanly and reading resumes', async (kind) => {
    const reader = makeReader();
    const rec = record(reader);
    reader.start();
    await waitFor(() => reader.status().state === 'connected', 5000, 'connected');
    sim.sendMalformed(kind);
    await waitFor(() => rec.errors.some((e) => e.reason === 'bad_length'), 5000, 'bad_length error');
    const n = rec.reads.length;
    await waitFor(() => sim.stats.connections === 2 && reader.status().state === 'connected' && rec.reads.length > n, 5000, 'reconnected');
  });

  it('a second client is refused by the reader and says why', async () => {
    const first = makeReader();
    first.start();
    await waitFor(() => first.status().state === 'connected', 5000, 'first connected');
    const second = makeReader();
    second.start();
    await waitFor(() => second.status().state === 'error', 5000, 'second refused');
    expect(second.status().reason).toMatch(/another client/);
    expect(first.status().state).toBe('connected');
    await second.close();
  });

  it('a port with nothing listening is retried, not thrown', async () => {
    await sim.unplug();
    const reader = makeReader();
    reader.start();
    await waitFor(() => reader.status().state === 'reconnecting', 5000, 'reconnecting');
    expect(reader.status().reason).toMatch(/ECONNREFUSED/);
    await sim.replug();
    await waitFor(() => reader.status().state === 'connected', 5000, 'connected once the reader is up');
  });
});
