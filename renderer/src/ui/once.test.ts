import { describe, expect, it } from 'vitest';
import { onceAtATime } from './once.js';

const deferred = () => {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe('onceAtATime', () => {
  it('sends a double click once, and again after the first has settled', async () => {
    const once = onceAtATime();
    const first = deferred();
    let sent = 0;
    const submit = () => {
      sent += 1;
      return first.promise;
    };
    expect(once(submit)).toBe(true);
    expect(once(submit)).toBe(false);
    expect(sent).toBe(1);
    first.resolve();
    await first.promise;
    await Promise.resolve();
    expect(once(() => ((sent += 1), Promise.resolve()))).toBe(true);
    expect(sent).toBe(2);
  });

  it('lets a refused submission be sent again, without an unhandled rejection', async () => {
    const once = onceAtATime();
    const refused = deferred();
    expect(once(() => refused.promise)).toBe(true);
    refused.reject(new Error('refused'));
    await refused.promise.catch(() => undefined);
    await Promise.resolve();
    expect(once(() => Promise.resolve())).toBe(true);
  });

  it('releases the guard when the submission throws before it starts', () => {
    const once = onceAtATime();
    expect(() =>
      once(() => {
        throw new Error('bad');
      }),
    ).toThrow('bad');
    expect(once(() => Promise.resolve())).toBe(true);
  });
});
