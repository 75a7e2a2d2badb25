/**
 * Turns a burst of recorded work into at most one `dashboard.changed` per interval: a bench grades
 * several items a minute, and a dashboard refetch per outbox row would only add load.
 */
export interface DashboardFeed {
  /** Something was recorded (an outbox event was appended). */
  notify(): void;
  close(): void;
}

export function createDashboardFeed(emit: (payload: { at: string }) => void, options: { intervalMs?: number; now?: () => Date } = {}): DashboardFeed {
  const intervalMs = options.intervalMs ?? 500;
  const now = options.now ?? (() => new Date());
  let timer: NodeJS.Timeout | null = null;
  let pending = false;
  let closed = false;

  const fire = (): void => {
    pending = false;
    emit({ at: now().toISOString() });
    timer = setTimeout(() => {
      timer = null;
      if (pending && !closed) fire();
    }, intervalMs);
    timer.unref?.();
  };

  return {
    notify() {
      if (closed) return;
      // Leading edge right away; anything during the quiet interval collapses into one trailing event.
      if (timer) pending = true;
      else fire();
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
