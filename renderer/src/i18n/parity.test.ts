import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { ja } from './ja.js';

function flatten(obj: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else if (v && typeof v === 'object') for (const [kk, vv] of flatten(v as object, key)) out.set(kk, vv);
    else throw new Error(`${key} is neither text nor a group`);
  }
  return out;
}

const vars = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('locales', () => {
  const jaKeys = flatten(ja);
  const enKeys = flatten(en);

  it('Japanese and English have exactly the same keys', () => {
    const missingInEn = [...jaKeys.keys()].filter((k) => !enKeys.has(k));
    const missingInJa = [...enKeys.keys()].filter((k) => !jaKeys.has(k));
    expect({ missingInEn, missingInJa }).toEqual({ missingInEn: [], missingInJa: [] });
  });

  it('no text is empty and both languages use the same {{placeholders}}', () => {
    for (const [key, text] of jaKeys) {
      expect(text.trim(), key).not.toBe('');
      expect(enKeys.get(key)?.trim(), key).not.toBe('');
      expect(vars(enKeys.get(key) ?? ''), key).toEqual(vars(text));
    }
  });
});
