// `npm run hub` starts the site hub; `npm run hub -- code BENCH-01` asks a running hub for a one-time
// enrolment code, `npm run hub -- revoke BENCH-01` revokes a bench (both need RS_HUB_ADMIN_TOKEN);
// `npm run hub -- enrol CODE`, run at the bench, exchanges a code for the bench's credential (RS_HUB_TOKEN).
// `npm run hub -- subscribe SITE-01 postgres://…site…`, with RS_HUB_DATABASE_URL set to the company
// database, subscribes the company database to that site's publication (docs/scale-out.md).
// `RS_OPERATOR_PIN=1234 npm run hub -- operator SUP-1 "Sato Hanako" supervisor` enrols an operator in the site
// roster (the site's first supervisor, who then manages the roster from the hub UI; RS_HUB_ADMIN_TOKEN too).
import { readFileSync } from 'node:fs';
import { readHubEnv } from './config.js';
import { BenchCredential, EnrolmentCode, HUB_PATHS, StationId } from './protocol.js';
import { createPool } from './db.js';
import { subscribeToSite } from './replication.js';
import { startHub } from './server.js';

const [command, arg, arg2, arg3] = process.argv.slice(2);

async function admin(path: string, body: unknown): Promise<unknown> {
  const env = readHubEnv(process.env);
  const url = process.env.RS_HUB_URL ?? `http://${env.RS_HUB_HOST}:${env.RS_HUB_PORT}`;
  if (!env.RS_HUB_ADMIN_TOKEN) throw new Error('set RS_HUB_ADMIN_TOKEN to the token the hub printed (or was started with)');
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.RS_HUB_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json: unknown = await res.json();
  if (!res.ok) throw new Error(`the hub refused: ${JSON.stringify(json)}`);
  return json;
}

if (command === 'code' || command === 'revoke') {
  const stationId = StationId.parse(arg);
  if (command === 'code') {
    const c = EnrolmentCode.parse(await admin(HUB_PATHS.adminCodes, { stationId }));
    console.log(`enrolment code for ${c.stationId}: ${c.code} (valid until ${c.expiresAt})`);
  } else {
    await admin(HUB_PATHS.adminRevoke.replace(':stationId', stationId), {});
    console.log(`bench ${stationId} revoked`);
  }
} else if (command === 'operator' && arg && arg2 && arg3) {
  const op = await admin('/admin/v1/operators', { badge: arg, name: arg2, role: arg3, pin: process.env.RS_OPERATOR_PIN ?? '' });
  console.log(`enrolled in the site roster: ${JSON.stringify(op)}`);
} else if (command === 'enrol' && arg) {
  const env = readHubEnv(process.env);
  const url = process.env.RS_HUB_URL ?? `http://${env.RS_HUB_HOST}:${env.RS_HUB_PORT}`;
  const res = await fetch(url + HUB_PATHS.enrol, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: arg }) });
  if (!res.ok) {
    console.error(`the hub refused the code (HTTP ${res.status}): ${await res.text()}`);
    process.exit(1);
  }
  const c = BenchCredential.parse(await res.json());
  console.log(`bench ${c.stationId} enrolled at site ${c.siteId}. Start it with:\n  RS_STATION_ID=${c.stationId} RS_HUB_URL=${url} RS_HUB_TOKEN=${c.token}`);
} else if (command === 'subscribe' && arg && arg2) {
  const env = readHubEnv(process.env);
  if (!env.RS_HUB_DATABASE_URL) throw new Error('set RS_HUB_DATABASE_URL to the company database');
  const company = createPool(env.RS_HUB_DATABASE_URL, 1);
  try {
    const r = await subscribeToSite(company, { siteId: StationId.parse(arg), siteDatabaseUrl: arg2 });
    console.log(r.created ? `the company database now subscribes to ${r.subscription}` : `the company database already subscribes to ${r.subscription}`);
  } finally {
    await company.end();
  }
} else if (command !== undefined) {
  console.error('usage: npm run hub [-- code STATION | revoke STATION | enrol CODE | subscribe SITE SITE_DATABASE_URL | operator BADGE NAME ROLE (PIN in RS_OPERATOR_PIN)]');
  process.exit(2);
} else {
  const env = readHubEnv(process.env);
  const hub = await startHub({
    siteId: env.RS_HUB_SITE_ID,
    ...(env.RS_HUB_DATABASE_URL ? { databaseUrl: env.RS_HUB_DATABASE_URL } : { dataDir: env.RS_HUB_DATA_DIR }),
    host: env.RS_HUB_HOST,
    port: env.RS_HUB_PORT,
    ...(env.RS_HUB_TLS_CERT && env.RS_HUB_TLS_KEY ? { tls: { cert: readFileSync(env.RS_HUB_TLS_CERT), key: readFileSync(env.RS_HUB_TLS_KEY) } } : {}),
    wms: { url: env.RS_HUB_WMS_URL, token: env.RS_HUB_WMS_TOKEN },
    ...(env.RS_HUB_ADMIN_TOKEN ? { adminToken: env.RS_HUB_ADMIN_TOKEN } : {}),
    ...(env.RS_HUB_UI_DIR ? { site: { staticDir: env.RS_HUB_UI_DIR } } : {}),
    ...(env.RS_HUB_RELAY_BACKOFF_CAP_MS ? { relay: { backoffCapMs: env.RS_HUB_RELAY_BACKOFF_CAP_MS, backoffBaseMs: Math.min(500, env.RS_HUB_RELAY_BACKOFF_CAP_MS) } } : {}),
    log: (line) => console.log(JSON.stringify({ at: new Date().toISOString(), msg: line })),
  });
  console.log(`site hub ${hub.siteId} listening on ${hub.url} (relaying to ${env.RS_HUB_WMS_URL}; database ${env.RS_HUB_DATABASE_URL ? 'from RS_HUB_DATABASE_URL' : `embedded in ${env.RS_HUB_DATA_DIR}`})`);
  if (!env.RS_HUB_ADMIN_TOKEN) console.log(`admin token for this run: ${hub.adminToken}`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    console.log('site hub: draining and stopping');
    void hub.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
