import { beforeEach, describe, expect, it } from 'vitest';
import { defaultLanguage, useLanguageStore } from './language.js';

describe('UI language', () => {
  beforeEach(() => useLanguageStore.setState({ language: 'ja', byOperator: {} }));

  it('defaults to Japanese on a Japanese OS or when the OS says nothing, English otherwise', () => {
    expect(defaultLanguage(['ja-JP', 'en-US'])).toBe('ja');
    expect(defaultLanguage(['en-GB'])).toBe('en');
    expect(defaultLanguage([])).toBe('ja');
    expect(defaultLanguage(undefined)).toBe('ja');
  });

  it('remembers each operator’s choice and restores it when they sign in again', () => {
    const s = useLanguageStore.getState;
    s().languageChosen('en', 'op-1');
    s().languageChosen('ja', 'op-2');
    expect(s().language).toBe('ja');
    s().operatorSignedIn('op-1');
    expect(s().language).toBe('en');
    s().operatorSignedIn('op-3');
    expect(s().language).toBe('en');
    s().operatorSignedIn('op-2');
    expect(s().language).toBe('ja');
  });
});
