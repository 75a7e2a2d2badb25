import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { StationId } from './protocol.js';

/** The hub's settings, all from the environment; without any it runs on an embedded PostgreSQL. */
export const HubEnv = z.object({
  /** Any PostgreSQL 14+ (postgres://user:pass@host:5432/db); absent: the embedded one in RS_HUB_DATA_DIR. */
  RS_HUB_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'RS_HUB_DATABASE_URL must be a postgres:// URL').optional(),
  RS_HUB_DATA_DIR: z.string().min(1).default(fileURLToPath(new URL('./.data/', import.meta.url))),
  RS_HUB_HOST: z.string().min(1).default('127.0.0.1'),
  RS_HUB_PORT: z.coerce.number().int().min(0).max(65535).default(8090),
  RS_HUB_SITE_ID: StationId.default('SITE-01'),
  /** The WMS the hub relays to; default the demo WMS's usual address (`tsx fixtures/demo-wms/main.ts --port 8088`). */
  RS_HUB_WMS_URL: z.string().url('RS_HUB_WMS_URL must be a URL').default('http://127.0.0.1:8088'),
  RS_HUB_WMS_TOKEN: z.string().min(1).default('demo-token'),
  /** Bearer token of the admin calls; absent: a random one printed at start. */
  RS_HUB_ADMIN_TOKEN: z.string().min(16, 'RS_HUB_ADMIN_TOKEN: at least 16 characters').optional(),
  /** Issue 15: the built renderer (`npm run build:renderer` → dist/renderer), served as the hub UI for leads and supervisors. */
  RS_HUB_UI_DIR: z.string().min(1).optional(),
  /** HTTPS: PEM files of the hub's certificate (chain) and its key; both or neither. */
  RS_HUB_TLS_CERT: z.string().min(1).optional(),
  RS_HUB_TLS_KEY: z.string().min(1).optional(),
  /** Longest wait of the relay after failed WMS calls (default 60 s); the chaos runs shorten it. */
  RS_HUB_RELAY_BACKOFF_CAP_MS: z.coerce.number().int().min(10).max(3_600_000).optional(),
});
export type HubEnv = z.infer<typeof HubEnv>;

export function readHubEnv(env: NodeJS.ProcessEnv): HubEnv {
  const r = HubEnv.safeParse(env);
  if (!r.success) throw new Error(`Hub settings are not valid: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  if ((r.data.RS_HUB_TLS_CERT === undefined) !== (r.data.RS_HUB_TLS_KEY === undefined)) throw new Error('Hub settings are not valid: set both RS_HUB_TLS_CERT and RS_HUB_TLS_KEY, or neither');
  return r.data;
}
