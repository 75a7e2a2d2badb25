import { describe, expect, it } from 'vitest';
import { spaceTogglesFocused, type FocusedElement } from './spaceToggle.js';

function element(tagName: string, type?: string, disabled = false): FocusedElement & { clicks: number } {
  const el = { tagName, type, disabled, clicks: 0, click: () => void el.clicks++ };
  return el;
}

describe('Space on a focused checkbox', () => {
  it('toggles a focused checkbox or radio button, and the key goes no further', () => {
    const box = element('INPUT', 'checkbox');
    expect(spaceTogglesFocused([' '], box)).toBe(true);
    expect(box.clicks).toBe(1);
    const radio = element('INPUT', 'radio');
    expect(spaceTogglesFocused([' '], radio)).toBe(true);
    expect(radio.clicks).toBe(1);
  });

  it('stays the photo key elsewhere: on a button, on the page, on a disabled box', () => {
    for (const el of [element('BUTTON', 'button'), element('BODY'), element('INPUT', 'checkbox', true), element('INPUT', 'text')]) {
      expect(spaceTogglesFocused([' '], el)).toBe(false);
      expect(el.clicks).toBe(0);
    }
    expect(spaceTogglesFocused([' '], null)).toBe(false);
  });

  it('only Space alone: another key, or Space pressed together with another (answered as keys together), toggles nothing', () => {
    const box = element('INPUT', 'checkbox');
    expect(spaceTogglesFocused(['x'], box)).toBe(false);
    expect(spaceTogglesFocused([' ', 'x'], box)).toBe(false);
    expect(box.clicks).toBe(0);
  });
});
