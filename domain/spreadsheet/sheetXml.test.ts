import { describe, expect, it } from 'vitest';
import { columnLetters, escapeXmlText, excelSerial, rowXml } from './sheetXml.js';

describe('SpreadsheetML rows', () => {
  it('names columns like Excel', () => {
    expect([1, 2, 26, 27, 52, 53, 702, 703].map(columnLetters)).toEqual(['A', 'B', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('escapes markup and drops characters XML cannot hold', () => {
    expect(escapeXmlText('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
    expect(escapeXmlText('bell\u0007 nul\u0000')).toBe('bell nul');
    expect(escapeXmlText('lone \ud800 surrogate')).toBe('lone  surrogate');
    expect(escapeXmlText('絵文字 😀\ttab\nline')).toBe('絵文字 😀\ttab\nline');
  });

  it('counts Excel serial days from 1899-12-30', () => {
    expect(excelSerial(new Date(Date.UTC(1900, 0, 1)))).toBe(2);
    expect(excelSerial(new Date(Date.UTC(2026, 10, 2, 12)))).toBe(46328.5);
  });

  it('renders inline strings, numbers and dates, skipping empty and non-finite cells', () => {
    const xml = rowXml(
      7,
      [
        { kind: 'text', value: ' =1 ', style: 1 },
        null,
        { kind: 'number', value: 4990, style: 2 },
        { kind: 'number', value: Number.NaN, style: 2 },
        { kind: 'date', value: new Date(Date.UTC(1900, 0, 1)), style: 3 },
      ],
      ['A', 'B', 'C', 'D', 'E'],
    );
    expect(xml).toBe(
      '<row r="7"><c r="A7" s="1" t="inlineStr"><is><t xml:space="preserve"> =1 </t></is></c><c r="C7" s="2"><v>4990</v></c><c r="E7" s="3"><v>2</v></c></row>',
    );
  });
});
