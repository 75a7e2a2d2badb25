// What each physical key (KeyboardEvent.code) types on a US and on a Japanese (JIS) layout,
// for the keys where the two differ. A keyboard-wedge scanner sends key positions, not
// characters, so a scanner set to one layout typing into an OS set to the other garbles these.

export type KeyboardLayout = 'us' | 'jis';

interface KeyChars {
  readonly plain: string;
  readonly shifted: string;
}

const US: Readonly<Record<string, KeyChars>> = {
  Digit2: { plain: '2', shifted: '@' },
  Digit6: { plain: '6', shifted: '^' },
  Digit7: { plain: '7', shifted: '&' },
  Digit8: { plain: '8', shifted: '*' },
  Digit9: { plain: '9', shifted: '(' },
  Digit0: { plain: '0', shifted: ')' },
  Minus: { plain: '-', shifted: '_' },
  Equal: { plain: '=', shifted: '+' },
  BracketLeft: { plain: '[', shifted: '{' },
  BracketRight: { plain: ']', shifted: '}' },
  Backslash: { plain: '\\', shifted: '|' },
  Semicolon: { plain: ';', shifted: ':' },
  Quote: { plain: "'", shifted: '"' },
  Backquote: { plain: '`', shifted: '~' },
};

const JIS: Readonly<Record<string, KeyChars>> = {
  Digit2: { plain: '2', shifted: '"' },
  Digit6: { plain: '6', shifted: '&' },
  Digit7: { plain: '7', shifted: "'" },
  Digit8: { plain: '8', shifted: '(' },
  Digit9: { plain: '9', shifted: ')' },
  Digit0: { plain: '0', shifted: '' },
  Minus: { plain: '-', shifted: '=' },
  Equal: { plain: '^', shifted: '~' },
  BracketLeft: { plain: '@', shifted: '`' },
  BracketRight: { plain: '[', shifted: '{' },
  Backslash: { plain: ']', shifted: '}' },
  Semicolon: { plain: ';', shifted: '+' },
  Quote: { plain: ':', shifted: '*' },
  IntlRo: { plain: '\\', shifted: '_' },
  IntlYen: { plain: '¥', shifted: '|' },
};

const TABLES: Readonly<Record<KeyboardLayout, Readonly<Record<string, KeyChars>>>> = { us: US, jis: JIS };

/** The character `layout` types for a key position, or undefined when the key is not one that differs. */
export function charFor(layout: KeyboardLayout, code: string, shift: boolean): string | undefined {
  const entry = TABLES[layout][code];
  if (!entry) return undefined;
  return shift ? entry.shifted : entry.plain;
}

/**
 * Which OS layout produced `key` from this key position: 'us' or 'jis' when only one of them
 * would have, undefined when both agree or the key is not in the tables.
 */
export function layoutEvidence(code: string, shift: boolean, key: string): KeyboardLayout | undefined {
  const us = charFor('us', code, shift);
  const jis = charFor('jis', code, shift);
  if (us === undefined || jis === undefined || us === jis) return undefined;
  if (key === us) return 'us';
  if (key === jis) return 'jis';
  return undefined;
}
