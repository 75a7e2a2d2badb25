import { describe, expect, it } from 'vitest';
import { HUB_ERROR_KEYS } from '../../../contract/hub.js';
import { PRINTER_MESSAGE_KEYS, PRINTER_MESSAGE_PARAMS } from '../../../contract/printerMessages.js';
import { en } from './en.js';
import { ja } from './ja.js';

declare global {
  // Vite's import.meta.glob (vitest runs this file through vite), typed here to keep vite/client out of the renderer's types.
  interface ImportMeta {
    glob(patterns: string[], options: { query: string; import: string; eager: true }): Record<string, unknown>;
  }
}

// Every folder whose code can answer a call with an error: the station, its database and devices, both
// transports, the composition root, and the site hub (its UI's calls and a bench's site-scoped ones). Read at test
// time (vite inlines the files), so a key added on the main side without a translation fails here instead of
// showing a raw key.
const SERVER_FOLDERS = ['core', 'db', 'native', 'electron', 'app', 'preview', 'hub'] as const;
const sources = import.meta.glob(
  [
    '../../../core/**/*.ts',
    '../../../db/**/*.ts',
    '../../../native/**/*.ts',
    '../../../electron/**/*.ts',
    '../../../app/**/*.ts',
    '../../../preview/**/*.ts',
    '../../../hub/**/*.ts',
    '!../../../**/*.test.ts',
    '!../../../**/*.test-helper.ts',
  ],
  { query: '?raw', import: 'default', eager: true },
) as Record<string, string>;

function lookup(tree: object, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), tree);
}

/** A key the station sends with a `count` may exist only as its plural forms (key_one, key_other). */
function hasText(tree: object, key: string): boolean {
  return typeof lookup(tree, key) === 'string' || (typeof lookup(tree, `${key}_one`) === 'string' && typeof lookup(tree, `${key}_other`) === 'string');
}

/** Any quoted `error.x.y` or `errors.x.y`: keys reach ApiError through StationError, helpers and literals alike. */
const KEY = /['"`](errors?\.[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*)['"`]/g;

describe('error keys the station sends', () => {
  const keys = new Map<string, string>();
  const sendingFolders = new Set<string>();
  for (const [file, text] of Object.entries(sources)) {
    const path = file.replace(/^(\.\.\/)+/, '');
    for (const m of text.matchAll(KEY)) {
      if (!m[1]) continue;
      sendingFolders.add(path.split('/')[0] ?? '');
      if (!keys.has(m[1])) keys.set(m[1], path);
    }
    // The sync bar's errors (syncStatus.lastErrorKey), in the operator's language too.
    for (const m of text.matchAll(/key: (?:err\.retryable \? )?'(sync\.error\.[A-Za-z]+)'(?: : '(sync\.error\.[A-Za-z]+)')?/g)) {
      for (const k of [m[1], m[2]]) if (k && !keys.has(k)) keys.set(k, path);
    }
  }

  it('finds keys in every folder that sends them', () => {
    expect(keys.size).toBeGreaterThan(20);
    for (const f of ['core', 'electron', 'preview', 'hub']) expect([...sendingFolders], f).toContain(f);
    expect(SERVER_FOLDERS.every((f) => Object.keys(sources).some((s) => s.includes(`/${f}/`)))).toBe(true);
    expect([...keys.keys()].filter((k) => k.startsWith('sync.error.')).sort()).toEqual(
      ['sync.error.auth', 'sync.error.httpRefused', 'sync.error.httpRetry', 'sync.error.malformed', 'sync.error.manifestMalformed', 'sync.error.network', 'sync.error.other', 'sync.error.timeout'],
    );
    expect([...keys.keys()]).toContain('error.noReferenceDataOffline');
  });

  it('uses one key space, error.*, the one the dictionaries have', () => {
    expect([...keys].filter(([k]) => k.startsWith('errors.')).map(([k, f]) => `${k} (${f})`)).toEqual([]);
  });

  it('every one has Japanese and English text', () => {
    const missing = [...keys]
      .filter(([k]) => !hasText(ja, k) || !hasText(en, k))
      .map(([k, f]) => `${k} (${f})`);
    expect(missing).toEqual([]);
  });
});

// A site hub answers with its own keys (contract/hub.ts), which the bench's sync bar shows as they are.
describe('error keys a site hub sends', () => {
  it('every one has Japanese and English text', () => {
    expect(HUB_ERROR_KEYS.length).toBeGreaterThanOrEqual(18);
    const missing = HUB_ERROR_KEYS.filter((k) => typeof lookup(ja, k) !== 'string' || typeof lookup(en, k) !== 'string');
    expect(missing).toEqual([]);
  });
});

// The printer's health, a job's last error and a print outcome travel as printer.* keys (contract/printerMessages.ts).
describe('printer message keys the station sends', () => {
  const placeholders = (text: unknown): string[] =>
    typeof text === 'string' ? [...new Set([...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? ''))].sort() : [];

  it('every one has Japanese and English text that uses exactly the parameters the station sends', () => {
    expect(PRINTER_MESSAGE_KEYS.length).toBeGreaterThanOrEqual(30);
    const wrong = PRINTER_MESSAGE_KEYS.flatMap((k) => {
      const want = [...PRINTER_MESSAGE_PARAMS[k]].sort();
      return [ja, en]
        .map((dict, i) => ({ lang: i === 0 ? 'ja' : 'en', text: lookup(dict, k) }))
        .filter(({ text }) => typeof text !== 'string' || JSON.stringify(placeholders(text)) !== JSON.stringify(want))
        .map(({ lang, text }) => `${k} (${lang}): ${typeof text === 'string' ? text : 'missing'}`);
    });
    expect(wrong).toEqual([]);
  });

  it('the station sends no printer.* key outside that list', () => {
    const sent = new Set<string>();
    for (const text of Object.values(sources)) for (const m of text.matchAll(/['"`](printer\.(?:error|fault|status|job)\.[A-Za-z]+)['"`]/g)) if (m[1]) sent.add(m[1]);
    expect(sent.size).toBeGreaterThan(20);
    expect([...sent].filter((k) => !(PRINTER_MESSAGE_KEYS as string[]).includes(k))).toEqual([]);
  });
});

// Port detection's warnings travel as devices.warning.* keys beside their English.
describe('detection warning keys the station sends', () => {
  it('every one has Japanese and English text', () => {
    const sent = new Set<string>();
    for (const text of Object.values(sources)) for (const m of text.matchAll(/['"`](devices\.warning\.[A-Za-z]+)['"`]/g)) if (m[1]) sent.add(m[1]);
    expect(sent.size).toBeGreaterThanOrEqual(4);
    expect([...sent].filter((k) => typeof lookup(ja, k) !== 'string' || typeof lookup(en, k) !== 'string')).toEqual([]);
  });
});
