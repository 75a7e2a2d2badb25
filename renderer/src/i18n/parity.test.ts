import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { ja } from './ja.js';
import { flattenTexts } from './flatten.test-helper.js';

const vars = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('locales', () => {
  const jaKeys = flattenTexts(ja);
  const enKeys = flattenTexts(en);

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
