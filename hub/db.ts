import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export function createPool(url: string, max = 10): Pool {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5000 });
  // A server that goes away (PostgreSQL restart) makes every open connection emit 'error': an idle one
  // here, and the pool drops it; one checked out on the client itself, which would crash the process
  // unheard. Its query in flight fails as well, and that is where the error is handled.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Runs `work` in one transaction; rolls back on any throw. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    // A connection that cannot even roll back is gone: destroy it rather than hand it to the next caller.
    broken = !(await client.query('ROLLBACK').then(
      () => true,
      () => false,
    ));
    throw err;
  } finally {
    client.release(broken);
  }
}
