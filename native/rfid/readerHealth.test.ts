import { describe, expect, it } from 'vitest';
import { ReaderHealth } from './readerHealth.js';

describe('ReaderHealth', () => {
  it('a silent reader is an error with its reason and, for the screen, the code and the rounds missed', () => {
    const health = new ReaderHealth({ state: 'connected', since: 1 }, { now: () => 2 });
    health.setSilent('reader does not answer inventory commands (3 rounds in a row; check baud rate and reader address)', 3);
    expect(health.status()).toMatchObject({ state: 'error', reason: expect.stringMatching(/^reader does not answer/), code: 'readerSilent', params: { rounds: 3 } });
    health.setSilent(null);
    expect(health.status()).toEqual({ state: 'connected', since: 1 });
  });

  it('keeps the link\'s own code (an unplugged port) and has none for a burst of malformed messages', () => {
    const link = { state: 'reconnecting' as const, reason: '/dev/ttyUSB0 is not there', code: 'portAbsent' as const, params: { port: '/dev/ttyUSB0' }, since: 1 };
    const health = new ReaderHealth(link, { now: () => 2, errorBurst: 2 });
    expect(health.status()).toMatchObject({ code: 'portAbsent', params: { port: '/dev/ttyUSB0' } });
    health.setLink({ state: 'connected', since: 3 });
    health.noteError();
    health.noteError();
    expect(health.status()).toMatchObject({ state: 'error', reason: expect.stringMatching(/misbehaving/) });
    expect(health.status().code).toBeUndefined();
  });
});
