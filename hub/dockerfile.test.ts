// The hub's container image cannot be built here (no Docker daemon in CI or on the bench machines), so this
// checks what a build depends on: every COPY source exists, the start command's entry is in the image,
// and everything the entry imports at run time is either copied in or one of the hub's own npm
// dependencies (the image installs only hub/package.json) or a Node built-in.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dockerfile = readFileSync(join(ROOT, 'hub', 'Dockerfile'), 'utf8');
const ignore = readFileSync(join(ROOT, 'hub', 'Dockerfile.dockerignore'), 'utf8');
const hubPkg = JSON.parse(readFileSync(join(ROOT, 'hub', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

/** Instructions with their continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

const copies = instructions.filter((l) => /^COPY\s/i.test(l)).map((l) => l.split(/\s+/).slice(1).filter((a) => !a.startsWith('--')));
const copiedDirs = copies.map((args) => args.slice(0, -1)).flat();

/** The image's files: what the COPY sources hold, minus what the build context leaves out. */
const excluded = ignore
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l.startsWith('hub/') || l.startsWith('**/'));
const isExcluded = (file: string): boolean =>
  excluded.some((p) => (p.startsWith('**/*') ? file.endsWith(p.slice(4)) : p.startsWith('**/') ? file.split('/').includes(p.slice(3)) : file === p || file.startsWith(`${p}/`)));
const inImage = (file: string): boolean => copiedDirs.some((d) => file === d || file.startsWith(`${d.replace(/\/$/, '')}/`)) && !isExcluded(file);

const cmd = instructions.find((l) => /^CMD\s/i.test(l));
const cmdArgs = cmd ? (JSON.parse(cmd.slice(4)) as string[]) : [];

/** Every module specifier a source file imports (static, re-export, side-effect or dynamic). */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|(?:^|\n)\s*import\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)) {
    const s = m[1] ?? m[2] ?? m[3];
    if (s) out.push(s);
  }
  return out;
}

const packageOf = (spec: string): string => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);

/** The run-time closure of the entry: project files reached and npm packages named. */
function closure(entry: string): { files: string[]; packages: Set<string> } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const walk = (abs: string): void => {
    const rel = relative(ROOT, abs);
    if (seen.has(rel)) return;
    seen.add(rel);
    for (const spec of specifiers(abs)) {
      if (spec.startsWith('.')) {
        const target = resolve(dirname(abs), spec).replace(/\.js$/, '.ts');
        expect(existsSync(target), `${rel} imports ${spec}, which does not exist`).toBe(true);
        walk(target);
      } else if (!spec.startsWith('node:') && !builtinModules.includes(spec)) {
        packages.add(packageOf(spec));
      }
    }
  };
  walk(join(ROOT, entry));
  return { files: [...seen], packages };
}

describe('hub/Dockerfile', () => {
  it('copies sources that exist, from the repository root (the build context)', () => {
    expect(copies.length).toBeGreaterThan(0);
    for (const args of copies) for (const src of args.slice(0, -1)) expect(existsSync(join(ROOT, src)), `COPY ${src}`).toBe(true);
    // The npm install step reads the hub's own manifest, never the bench's.
    expect(copies.some((args) => args[0] === 'hub/package.json')).toBe(true);
    expect(copiedDirs).not.toContain('package.json');
  });

  it('starts an entry that is in the image, through a loader the image installs', () => {
    expect(cmdArgs.slice(0, 3)).toEqual(['node', '--import', 'tsx']);
    const entry = cmdArgs[3]!;
    expect(statSync(join(ROOT, entry)).isFile()).toBe(true);
    expect(inImage(entry)).toBe(true);
    expect(hubPkg.dependencies).toHaveProperty('tsx');
  });

  it('has in the image every file the entry reaches, and every npm package it names among the hub dependencies', () => {
    const { files, packages } = closure(cmdArgs[3]!);
    expect(files).toContain('hub/server.ts');
    expect(files).toContain('contract/index.ts');
    expect(files.filter((f) => !inImage(f))).toEqual([]);
    expect([...packages].filter((p) => !(p in hubPkg.dependencies))).toEqual([]);
    // Nothing of the bench is reached (the import rules say so too; this is what the image relies on).
    expect(files.filter((f) => /^(core|app|db|native|electron|renderer|preview|fixtures)\//.test(f))).toEqual([]);
  });

  it('leaves test files, the dev-only site launcher and the local data folder out of the image', () => {
    for (const f of ['hub/hub.test.ts', 'hub/site.ts', 'hub/testing.ts', 'hub/.data/pg/PG_VERSION']) expect(inImage(f), f).toBe(false);
    expect(inImage('hub/migrations/0001_init.sql')).toBe(true);
    // Listens beyond loopback inside the container, and keeps its data in a volume-friendly place.
    expect(dockerfile).toMatch(/RS_HUB_HOST=0\.0\.0\.0/);
    expect(dockerfile).toMatch(/USER node/);
  });
});
