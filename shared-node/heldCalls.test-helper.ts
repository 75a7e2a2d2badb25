// Test helpers for code that waits on something asynchronous (a disk sync): calls that wait until the test lets
// them go, and a probe for whether a promise has settled yet.

export interface HeldCalls<A extends unknown[]> {
  call: (...args: A) => Promise<void>;
  /** The arguments of every call made, in order. */
  started: A[];
  /** Lets the oldest waiting call go, or fails it with `err`. */
  release(err?: Error): void;
}

export function heldCalls<A extends unknown[] = []>(): HeldCalls<A> {
  const waiting: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const started: A[] = [];
  return {
    started,
    call: (...args) =>
      new Promise<void>((resolve, reject) => {
        started.push(args);
        waiting.push({ resolve, reject });
      }),
    release: (err) => {
      const w = waiting.shift();
      if (!w) throw new Error('no call is waiting');
      if (err) w.reject(err);
      else w.resolve();
    },
  };
}

/** Whether `p` settled within a few turns of the event loop. */
export async function settledSoon(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return done;
}
