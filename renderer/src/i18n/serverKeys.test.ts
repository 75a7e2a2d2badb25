import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { ja } from './ja.js';

declare global {
  // Vite's import.meta.glob (vitest runs this file through vite), typed here to keep vite/client out of the renderer's types.
  interface ImportMeta {
    glob(patterns: string[], options: { query: string; import: string; eager: true }): Record<string, unknown>;
  }
}

// The station's error keys, read from its source at test time (vite inlines the files), so a key
// added on the main side without a translation fails here instead of showing a raw key.
const sources = import.meta.glob(['../../../core/**/*.ts', '!../../../core/**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

function lookup(tree: object, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), tree);
}

describe('error keys the station sends', () => {
  const keys = new Set<string>();
  for (const text of Object.values(sources)) {
    for (const m of text.matchAll(/StationError\(\s*'[A-Z_]+',\s*'(error\.[A-Za-z.]+)'/g)) if (m[1]) keys.add(m[1]);
    for (const m of text.matchAll(/'(error\.noReferenceData[A-Za-z]+)'/g)) if (m[1]) keys.add(m[1]);
    // The sync bar's errors (syncStatus.lastErrorKey), in the operator's language too.
    for (const m of text.matchAll(/key: (?:err\.retryable \? )?'(sync\.error\.[A-Za-z]+)'(?: : '(sync\.error\.[A-Za-z]+)')?/g)) {
      if (m[1]) keys.add(m[1]);
      if (m[2]) keys.add(m[2]);
    }
  }

  it('finds the keys in the source', () => {
    expect(keys.size).toBeGreaterThan(5);
    expect([...keys].filter((k) => k.startsWith('sync.error.')).sort()).toEqual(
      ['sync.error.auth', 'sync.error.httpRefused', 'sync.error.httpRetry', 'sync.error.malformed', 'sync.error.network', 'sync.error.other', 'sync.error.timeout'],
    );
    expect(keys).toContain('error.noReferenceDataOffline');
  });

  it('every one has Japanese and English text', () => {
    const missing = [...keys].filter((k) => typeof lookup(ja, k) !== 'string' || typeof lookup(en, k) !== 'string');
    expect(missing).toEqual([]);
  });
});
