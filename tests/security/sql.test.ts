// SQL only through prepared statements with bound values: the source of db/, core/ and the demo WMS
// is scanned for statement text built from anything but constants (tests/security/sqlScan.ts).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanSqlSources } from './sqlScan.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SCANNED = ['db', 'core', 'fixtures/demo-wms'];

interface Entry {
  file: string;
  expression: string;
  reason: string;
}
const allow = (JSON.parse(readFileSync(join(import.meta.dirname, 'sql-allowlist.json'), 'utf8')) as { entries: Entry[] }).entries;
const key = (file: string, expression: string): string => `${file} :: ${expression}`;

describe('SQL is built from constants and bound parameters only', () => {
  it('has no interpolated or concatenated statement text outside the reviewed allow-list', () => {
    const allowed = new Set(allow.map((e) => key(e.file, e.expression)));
    const findings = scanSqlSources(ROOT, SCANNED);
    const unreviewed = findings.filter((f) => !allowed.has(key(f.file, f.expression))).map((f) => `${f.file}:${f.line} \${${f.expression}}`);
    expect(unreviewed, 'bind the value as a parameter, or review it into tests/security/sql-allowlist.json with a reason').toEqual([]);
    const seen = new Set(findings.map((f) => key(f.file, f.expression)));
    const stale = allow.filter((e) => !seen.has(key(e.file, e.expression))).map((e) => key(e.file, e.expression));
    expect(stale, 'allow-list entries that no longer match code: remove them').toEqual([]);
    for (const e of allow) expect(e.reason.length, key(e.file, e.expression)).toBeGreaterThan(20);
  });

  it('the scanner catches values interpolated or concatenated into statements, and passes constants and placeholders', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rs-sqlscan-'));
    try {
      mkdirSync(join(dir, 'db'));
      writeFileSync(
        join(dir, 'db', 'bad.ts'),
        [
          "const COLUMNS = 'id, name';",
          "const LIST = ['a', 'b'].join(', ');",
          "const QUALIFIED = COLUMNS.split(', ').map((c) => `t.${c}`).join(', ');",
          'let mutable = "x";',
          'export function f(db: any, name: string, ids: string[]) {',
          '  db.prepare(`SELECT ${COLUMNS}, ${LIST}, ${QUALIFIED}, ${COLUMNS.split(\', \').map((c) => name + c).join(\', \')} FROM t WHERE id IN (${ids.map(() => \'?\').join(\', \')})`).all(...ids);',
          '  db.prepare(`SELECT * FROM t WHERE name = \'${name}\'`).all();',
          "  db.prepare('SELECT * FROM t WHERE name = ' + name).all();",
          '  const sql = `DELETE FROM t WHERE id = ${name}`;',
          '  db.prepare(sql).run();',
          '  db.exec(`DROP TABLE ${mutable}`);',
          '  db.pragma(`user_version = ${name}`);',
          "  /re/.exec(name);",
          "  cached(db, 'SELECT 1');",
          "  cached(db, `SELECT ${name}`);",
          '}',
          'function cached(db: any, sql: string) {',
          '  return db.prepare(sql);',
          '}',
        ].join('\n'),
      );
      const found = scanSqlSources(dir, ['db']).map((f) => `${f.line}:${f.expression}`);
      expect(found).toEqual(["6:COLUMNS.split(', ').map((c) => name + c).join(', ')", '7:name', '8:name', '9:name', '11:mutable', '12:name', '15:name']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
