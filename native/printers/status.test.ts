import { describe, expect, it } from 'vitest';
import { satoStatusReply, zplHostStatusReply } from '../../fixtures/printer-sim/statusReplies.js';
import { parseSatoStatus } from './sbplStatus.js';
import { isCompleteHostStatus, parseZplHostStatus } from './zplStatus.js';

const base = { paperOut: false, paused: false, headOpen: false, ribbonOut: false, formatsInBuffer: 0, labelsRemaining: 0 };

describe('ZPL ~HS parsing', () => {
  it('reads a real three-line reply', () => {
    const reply = Buffer.from('\x02030,1,1,0812,003,0,0,0,000,0,0,0\x03\r\n\x02001,0,1,0,1,2,6,0,00000007,1,000\x03\r\n\x021234,0\x03\r\n', 'latin1');
    expect(parseZplHostStatus(reply)).toMatchObject({ paperOut: true, paused: true, headOpen: true, ribbonOut: false, formatsInBuffer: 3, labelsRemaining: 7 });
  });

  it('waits for all three strings before a reply is complete', () => {
    const full = zplHostStatusReply(base);
    expect(isCompleteHostStatus(full.subarray(0, full.length - 5))).toBe(false);
    expect(isCompleteHostStatus(full)).toBe(true);
  });

  it('round-trips each fault flag of the simulator', () => {
    for (const flag of ['paperOut', 'paused', 'headOpen', 'ribbonOut'] as const) {
      const parsed = parseZplHostStatus(zplHostStatusReply({ ...base, [flag]: true }));
      expect(parsed[flag]).toBe(true);
      expect(Object.entries(parsed).filter(([k, v]) => v === true && k !== flag)).toEqual([]);
    }
  });

  it('rejects garbage instead of calling the printer fine', () => {
    expect(() => parseZplHostStatus(Buffer.from('\x02hello\x03\x02x\x03\x02y\x03'))).toThrow(/malformed/);
    expect(() => parseZplHostStatus(Buffer.from('\x02030,X,0,0812,000,0,0,0,000,0,0,0\x03\x02001,0,0,0,1,2,6,0,00000000,1,000\x03\x021234,0\x03'))).toThrow(/paper out/);
  });
});

describe('SATO ENQ status parsing', () => {
  it('reads on-line, off-line and error states', () => {
    expect(parseSatoStatus(satoStatusReply(base))).toMatchObject({ online: true, paused: false, error: null });
    expect(parseSatoStatus(satoStatusReply({ ...base, paused: true }))).toMatchObject({ online: false, paused: true });
    expect(parseSatoStatus(satoStatusReply({ ...base, paperOut: true }))).toMatchObject({ paperOut: true, error: 'paper end' });
    expect(parseSatoStatus(satoStatusReply({ ...base, headOpen: true }))).toMatchObject({ headOpen: true, error: 'head open' });
  });

  it('reads the short (status 3) reply and the job fields', () => {
    expect(parseSatoStatus(Buffer.from('\x0212G000050\x03', 'latin1'))).toMatchObject({ jobId: '12', statusByte: 'G', online: true, labelsRemaining: 50 });
  });

  it('rejects an unknown status byte', () => {
    expect(() => parseSatoStatus(Buffer.from('\x02  Z000000\x03', 'latin1'))).toThrow(/unknown SATO status/);
  });
});
