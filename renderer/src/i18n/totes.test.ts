// Issue 17: every tote notice, flag, origin and sync error the station can send has a sentence in both languages.
import { describe, expect, it } from 'vitest';
import { ToteBagNotice, ToteBagState, ToteFlagCode, ToteOrigin } from '../../../contract/index.js';
import { en } from './en.js';
import { ja } from './ja.js';

const lookup = (tree: object, key: string): unknown =>
  key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), tree);

describe('tote texts', () => {
  const keys = [
    ...ToteBagNotice.options.map((n) => `tote.notice.${n}`),
    ...ToteBagState.options.map((s) => `tote.bagState.${s}`),
    ...ToteFlagCode.options.map((c) => `toteFlag.${c}`),
    ...ToteOrigin.options.map((o) => `toteOrigin.${o}`),
    'tote.closeParcelFirst',
    'tote.receivedAtBench',
    'tote.siteUnreachable',
    'sync.error.manifestMalformed',
  ];
  it.each(keys)('%s', (key) => {
    for (const dict of [ja, en]) expect(typeof lookup(dict, key), key).toBe('string');
    expect(lookup(ja, key)).not.toBe(lookup(en, key));
  });
});
