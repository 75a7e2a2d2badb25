// Issue 15 (wt-15r): the live site dashboard. The `site_items` trigger (migration 0007) sends a NOTIFY on
// `rs_site_items` in the transaction that accepted the work; this listener turns a burst of them into at most
// one push per interval, which the hub UI's WebSocket delivers as the renderer's own `dashboard.changed`
// event, so the Dashboard screen refetches exactly as it does at a bench.
import pg from 'pg';

export const SITE_ITEMS_CHANNEL = 'rs_site_items';

export interface SiteDashboardFeed {
  stop(): Promise<void>;
}

export interface SiteDashboardFeedOptions {
  databaseUrl: string;
  siteId: string;
  /** At most one push per this many ms (the first one of a burst goes at once). */
  intervalMs?: number;
  /** After a lost connection, listen again after this long. */
  retryMs?: number;
  onChange: (at: Date) => void;
  log?: (line: string) => void;
}

export function startSiteDashboardFeed(options: SiteDashboardFeedOptions): SiteDashboardFeed {
  const intervalMs = options.intervalMs ?? 500;
  const retryMs = options.retryMs ?? 2000;
  let stopped = false;
  let client: pg.Client | null = null;
  let lastPush = 0;
  let trailing: NodeJS.Timeout | null = null;
  let retry: NodeJS.Timeout | null = null;

  const push = (): void => {
    lastPush = Date.now();
    options.onChange(new Date(lastPush));
  };
  const changed = (): void => {
    if (stopped || trailing) return;
    const wait = lastPush + intervalMs - Date.now();
    if (wait <= 0) push();
    else
      trailing = setTimeout(() => {
        trailing = null;
        push();
      }, wait);
  };

  const connect = async (): Promise<void> => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: options.databaseUrl });
    client = c;
    const lost = (err?: unknown): void => {
      if (client !== c) return;
      client = null;
      void c.end().catch(() => undefined);
      if (stopped) return;
      if (err) options.log?.(`hub: dashboard feed lost its PostgreSQL connection: ${err instanceof Error ? err.message : String(err)}`);
      retry = setTimeout(() => {
        retry = null;
        void connect();
      }, retryMs);
    };
    c.on('error', lost);
    c.on('end', () => lost());
    c.on('notification', (msg) => {
      if (msg.channel === SITE_ITEMS_CHANNEL && msg.payload === options.siteId) changed();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${SITE_ITEMS_CHANNEL}`);
      // Whatever happened while not listening: the screens refetch once.
      changed();
    } catch (err) {
      lost(err);
    }
  };
  void connect();

  return {
    async stop() {
      stopped = true;
      if (trailing) clearTimeout(trailing);
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
