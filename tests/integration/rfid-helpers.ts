// Shared waiting helpers for the RFID integration tests.
import type { RfidError } from '../../native/rfid/errors.js';
import type { RfidReader, RfidReaderStatus, TagRead } from '../../native/rfid/tagReads.js';

export async function waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Records everything a reader emits. */
export function record(reader: RfidReader): { reads: TagRead[]; errors: RfidError[]; statuses: RfidReaderStatus[]; epcs: () => Set<string> } {
  const rec = { reads: [] as TagRead[], errors: [] as RfidError[], statuses: [] as RfidReaderStatus[], epcs: () => new Set(rec.reads.map((r) => r.epcHex)) };
  reader.onRead((r) => rec.reads.push(r));
  reader.onError((e) => rec.errors.push(e));
  reader.onStatus((s) => rec.statuses.push(s));
  return rec;
}
