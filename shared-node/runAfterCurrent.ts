// A job callers ask for at will ("pull now"), shared by the bench's site sync and the hub's reference pull.

export interface RunAfterCurrent<T> {
  /**
   * Starts a run, or, while one runs, answers with a run that starts after it: the one under way may have read
   * its source before the caller's change. Every call made meanwhile shares that next run.
   */
  now(): Promise<T>;
  /** The run under way, if any (to wait for it when stopping). */
  running(): Promise<T> | null;
}

export function runAfterCurrent<T>(run: () => Promise<T>): RunAfterCurrent<T> {
  let current: Promise<T> | null = null;
  let next: Promise<T> | null = null;
  const now = (): Promise<T> => {
    if (current) {
      next ??= current
        .catch(() => undefined)
        .then(() => {
          next = null;
          return now();
        });
      return next;
    }
    current = run().finally(() => {
      current = null;
    });
    return current;
  };
  return { now, running: () => current };
}
