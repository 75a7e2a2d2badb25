// A room per call area: the schema of a call named `<prefix>.<x>` lives in contract/calls/<prefix>.ts and
// nowhere else, so a newcomer finds it by the call's name in one guess. This test keeps that true as calls are
// added: it reads every module under contract/calls/ and compares the call maps they export with the registry.
import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { api, callNames } from '../../contract/api.js';

const CALLS_DIR = resolve(import.meta.dirname, '..', '..', 'contract', 'calls');
/** Shared building blocks of the call modules, not an area. */
const NOT_AN_AREA = new Set(['define']);

const isCallSpec = (v: unknown): boolean => typeof v === 'object' && v !== null && 'input' in v && 'output' in v && 'access' in v;

/** Every call map a module exports (an object whose values are all call specs), by the call names it holds. */
async function callsDefinedIn(file: string): Promise<Map<string, unknown>> {
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const found = new Map<string, unknown>();
  for (const value of Object.values(mod)) {
    if (typeof value !== 'object' || value === null) continue;
    const entries = Object.entries(value);
    if (entries.length === 0 || !entries.every(([, v]) => isCallSpec(v))) continue;
    for (const [name, spec] of entries) found.set(name, spec);
  }
  return found;
}

describe('contract/calls/<prefix>.ts', () => {
  it('holds exactly the calls named <prefix>.*, and every call of the registry is in the file of its prefix', async () => {
    const files = readdirSync(CALLS_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !NOT_AN_AREA.has(basename(f, '.ts')));
    const misplaced: string[] = [];
    const definedWhere = new Map<string, string>();
    for (const f of files) {
      const area = basename(f, '.ts');
      for (const [name, spec] of await callsDefinedIn(join(CALLS_DIR, f))) {
        if (name.split('.')[0] !== area) misplaced.push(`${name} is in calls/${f}, not calls/${name.split('.')[0]}.ts`);
        // The registry must hold this very schema, not a second definition of the same name elsewhere.
        if ((api as Record<string, unknown>)[name] !== spec) misplaced.push(`${name} in calls/${f} is not the schema the registry uses`);
        if (definedWhere.has(name)) misplaced.push(`${name} is defined in calls/${definedWhere.get(name)} and calls/${f}`);
        definedWhere.set(name, f);
      }
    }
    expect(misplaced).toEqual([]);
    const missing = callNames.filter((n) => definedWhere.get(n) !== `${n.split('.')[0]}.ts`);
    expect(missing, 'calls of the registry not in contract/calls/<prefix>.ts').toEqual([]);
  });
});
