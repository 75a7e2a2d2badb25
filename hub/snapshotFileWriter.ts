// Writes the prepared reference file (contract/snapshotFile.ts) from contract objects handed over in key order.
// Used by the build worker (snapshotFileWorker.ts) and by tests that need a file of their own making.
import Database from 'better-sqlite3';
import { lineRows, photoRows, productRow, rmaRow, SNAPSHOT_FILE_COLUMNS, type Product, type Rma, type SnapshotFileMeta, type SnapshotFileTable } from '../contract/index.js';

/** Column types as the bench declares them, so values keep the same affinity in both files. */
const TYPES: Record<string, string> = {
  price_jpy: 'INTEGER',
  weight_grams: 'INTEGER',
  customer_return_rate: 'REAL',
  shop_return_policy_days: 'INTEGER',
  declared_complete: 'INTEGER',
  line_no: 'INTEGER',
  qty: 'INTEGER',
};

export interface SnapshotFileWriter {
  /** Products in SKU order. */
  products(rows: readonly Product[]): void;
  /** RMAs in RMA-number order; their lines and photo hashes go with them. */
  rmas(rows: readonly Rma[]): void;
  /** Writes the meta row (counts as written) and closes the file. */
  finish(meta: Omit<SnapshotFileMeta, 'counts'>): SnapshotFileMeta;
  /** Closes without finishing (the caller removes the file). */
  abandon(): void;
}

export function createSnapshotFileWriter(file: string): SnapshotFileWriter {
  const db = new Database(file);
  // A file nobody reads until it is finished and renamed into place: no journal, no sync (the builder fsyncs once).
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -65536');
  // Plain heaps without keys: the rows arrive sorted, and the bench checks the order rather than trusting an index.
  for (const [table, columns] of Object.entries(SNAPSHOT_FILE_COLUMNS)) {
    db.exec(`CREATE TABLE ${table} (${columns.map((c) => `${c} ${TYPES[c] ?? 'TEXT'}`).join(', ')})`);
  }
  db.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const insert = (table: SnapshotFileTable) => db.prepare(`INSERT INTO ${table} VALUES (${SNAPSHOT_FILE_COLUMNS[table].map(() => '?').join(', ')})`);
  const product = insert('products');
  const rma = insert('rmas');
  const line = insert('rma_lines');
  const photo = insert('customer_photos');
  const counts = { products: 0, rmas: 0, rmaLines: 0, customerPhotos: 0 };

  const writeProducts = db.transaction((rows: readonly Product[]) => {
    for (const p of rows) product.run(productRow(p));
    counts.products += rows.length;
  });
  const writeRmas = db.transaction((rows: readonly Rma[]) => {
    for (const r of rows) {
      rma.run(rmaRow(r));
      for (const l of lineRows(r)) line.run(l);
      const photos = photoRows(r);
      for (const p of photos) photo.run(p);
      counts.rmaLines += r.lines.length;
      counts.customerPhotos += photos.length;
    }
    counts.rmas += rows.length;
  });

  return {
    products: (rows) => writeProducts(rows),
    rmas: (rows) => writeRmas(rows),
    finish(meta) {
      const full: SnapshotFileMeta = { ...meta, counts: { ...counts } };
      db.prepare("INSERT INTO meta (key, value) VALUES ('snapshot', ?)").run(JSON.stringify(full));
      db.close();
      return full;
    },
    abandon() {
      if (db.open) db.close();
    },
  };
}
