import { describe, expect, it } from 'vitest';
import { escapeZplFieldData } from './zplEscape.js';
import { renderGs1128Zpl, renderZpl } from './zpl.js';
import { sampleLabel } from '../../contract/label.js';

/** Field data of every ^FD…^FS, with ^FH hex escapes decoded to their UTF-8 bytes. */
function fields(zpl: string): string[] {
  return [...zpl.matchAll(/\^FD(.*?)\^FS/gs)].map((m) => {
    const bytes: number[] = [];
    const raw = m[1]!;
    for (let i = 0; i < raw.length; ) {
      const hex = /^_([0-9A-F]{2})/.exec(raw.slice(i));
      if (hex) {
        bytes.push(parseInt(hex[1]!, 16));
        i += 3;
      } else {
        const ch = String.fromCodePoint(raw.codePointAt(i)!);
        bytes.push(...Buffer.from(ch, 'utf8'));
        i += ch.length;
      }
    }
    return Buffer.from(bytes).toString('utf8');
  });
}

describe('renderZpl', () => {
  it('frames one label in UTF-8 mode with the size of a 100x50 mm label at 203 dpi', () => {
    const zpl = renderZpl(sampleLabel());
    expect(zpl.startsWith('^XA\n^CI28\n')).toBe(true);
    expect(zpl.trimEnd().endsWith('^XZ')).toBe(true);
    expect(zpl).toContain('^PW800');
    expect(zpl).toContain('^LL400');
    expect(zpl.match(/\^XA/g)).toHaveLength(1);
  });

  it('prints every field and the LPN as Code 128 with an interpretation line', () => {
    const zpl = renderZpl(sampleLabel());
    const data = fields(zpl);
    expect(data).toContain('SKU TSH-BLK-M');
    expect(data).toContain('B');
    expect(data).toContain('RESALE');
    expect(data).toContain('-> TOTE-RESALE-03');
    expect(data).toContain('RMA-2026-000045');
    expect(data.join(' ')).not.toContain('RMA RMA');
    expect(data).toContain('BENCH-01 2026-11-27 11:40');
    // Start B and no subset switch (see renderZpl).
    expect(zpl).toMatch(/\^BCN,110,Y,N,N,N\^FH_\^FD>:LPN-000123\^FS/);
  });

  it('names a known destination in English on an English label, and prints a site\'s own code as it is', () => {
    expect(fields(renderZpl(sampleLabel({ destination: 'REVIEW', language: 'en' })))).toContain('-> Review shelf');
    expect(fields(renderZpl(sampleLabel({ destination: 'RESTOCK', language: 'en' })))).toContain('-> Restock');
    expect(fields(renderZpl(sampleLabel({ destination: 'TOTE-RESALE-03', language: 'en' })))).toContain('-> TOTE-RESALE-03');
  });

  it('uses the named Unicode font only for Japanese text', () => {
    const zpl = renderZpl(sampleLabel(), { unicodeFont: 'E:NOTOJP.TTF' });
    const line = zpl.split('\n').find((l) => l.includes('オーガニック'));
    expect(line).toMatch(/\^A@N,32,32,E:NOTOJP\.TTF\^FH_\^FDオーガニックコットンTシャツ 黒 M\^FS$/);
    expect(zpl.split('\n').find((l) => l.includes('SKU'))).toContain('^A0N');
  });

  it('cannot be made to run commands through field data', () => {
    const hostile = sampleLabel({ productName: 'X^FS^XZ^XA~JA_ok\r\n', destination: 'A^PQ99' });
    const zpl = renderZpl(hostile);
    // Exactly the commands we wrote: one format, one quantity, nothing from the data.
    expect(zpl.match(/\^XZ/g)).toHaveLength(1);
    expect(zpl.match(/\^XA/g)).toHaveLength(1);
    expect(zpl.match(/\^PQ/g)).toHaveLength(1);
    expect(zpl).not.toContain('~JA');
    expect(fields(zpl)).toContain('X^FS^XZ^XA~JA_ok??');
    expect(fields(zpl)).toContain('-> A^PQ99');
  });

  it('escapes the ^FH indicator itself', () => {
    expect(escapeZplFieldData('a_b^c~d')).toBe('a_5Fb_5Ec_7Ed');
  });

  it('narrows the bars of an LPN too long for the label at 2 dots', () => {
    expect(renderZpl(sampleLabel({ lpn: 'LPN-BENCH01-0000042' }))).toContain('^BY2,3,110');
    expect(renderZpl(sampleLabel({ lpn: 'LPN-ABCDEFGHIJKLMNOP-0000042-XYZ12345678' }))).toContain('^BY1,3,110');
  });

  it('rejects a label that breaks the model', () => {
    expect(() => renderZpl(sampleLabel({ lpn: 'LPN>1' }))).toThrow();
  });

  it('speaks the floor’s language on a Japanese bench: disposition and destination names, in the Kanji font', () => {
    const zpl = renderZpl(sampleLabel({ language: 'ja', disposition: 'resale', destination: 'SECONDARY' }), { unicodeFont: 'E:NOTOJP.TTF' });
    const data = fields(zpl);
    expect(data).toContain('再販売');
    expect(data).toContain('行き先 二次流通');
    expect(data.join('|')).not.toMatch(/RESALE|SECONDARY|->/);
    // UTF-8 field data (^CI28) and the named font for every Japanese field.
    expect(zpl.startsWith('^XA\n^CI28\n')).toBe(true);
    for (const text of ['再販売', '行き先']) expect(zpl.split('\n').find((l) => l.includes(text))).toMatch(/\^A@N,\d+,\d+,E:NOTOJP\.TTF/);
  });

  it('shows a site’s own destination code as written', () => {
    expect(fields(renderZpl(sampleLabel({ language: 'ja', destination: 'TOTE-7' })))).toContain('行き先 TOTE-7');
  });
});

describe('renderGs1128Zpl', () => {
  it('starts with FNC1 and separates a variable-length element with FNC1', () => {
    const block = renderGs1128Zpl(
      [
        { ai: '01', value: '09501101530003' },
        { ai: '10', value: 'AB12' },
        { ai: '21', value: '12345678' },
      ],
      { x: 20, y: 20, height: 100 },
    );
    // Start C, FNC1, 01+GTIN in pairs, 10 then back to B for letters, FNC1 after lot, 21 serial.
    expect(block).toContain('^FD>;>8010950110153000310>6AB12>8>52112345678^FS');
    expect(block).toContain('(01)09501101530003(10)AB12(21)12345678');
  });

  it('needs no FNC1 after a predefined-length element', () => {
    const block = renderGs1128Zpl([{ ai: '01', value: '09501101530003' }, { ai: '17', value: '271231' }], { x: 0, y: 0, height: 80, humanReadable: false });
    expect(block).toContain('^FD>;>8010950110153000317271231^FS');
  });

  it('rejects a GTIN of the wrong length', () => {
    expect(() => renderGs1128Zpl([{ ai: '01', value: '123' }], { x: 0, y: 0, height: 80 })).toThrow(/needs 14/);
  });
});
