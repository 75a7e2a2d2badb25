import { describe, expect, it } from 'vitest';
import { renderSvg } from './svg.js';
import { sampleLabel } from '../../contract/label.js';

describe('renderSvg', () => {
  it('is one SVG document the size of the label, scaled for display', () => {
    const svg = renderSvg(sampleLabel(), { displayWidth: 500 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 400" width="500" height="250"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('shows the fields, Japanese included', () => {
    const svg = renderSvg(sampleLabel());
    for (const text of ['オーガニックコットンTシャツ 黒 M', 'SKU TSH-BLK-M', 'RESALE', 'TOTE-RESALE-03', 'RMA-2026-000045']) {
      expect(svg).toContain(text);
    }
    expect(svg).not.toContain('RMA RMA');
    expect(renderSvg(sampleLabel({ rmaNumber: '2026-000045' }))).toContain('RMA 2026-000045');
  });

  it('draws a real barcode of the LPN at the barcode position', () => {
    const svg = renderSvg(sampleLabel());
    const nested = /<svg x="24" y="180" width="(\d+)" height="(\d+)" data-field="lpnBarcode" viewBox="0 0 (\d+) (\d+)"/.exec(svg);
    expect(nested).not.toBeNull();
    // Bars are drawn as paths, and a different LPN draws different bars.
    const bars = (s: string): string => [...s.matchAll(/ d="([^"]+)"/g)].map((m) => m[1]).join('|');
    expect(bars(svg).length).toBeGreaterThan(100);
    expect(bars(renderSvg(sampleLabel({ lpn: 'LPN-999999' })))).not.toBe(bars(svg));
  });

  it('escapes markup in data', () => {
    const svg = renderSvg(sampleLabel({ productName: '<b>"x" & co' }));
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&#60;b&#62;&#34;x&#34; &#38; co');
  });

  it('previews the Japanese label the printer gets', () => {
    const svg = renderSvg(sampleLabel({ language: 'ja', disposition: 'resale', destination: 'OUTLET' }));
    expect(svg).toContain('再販売');
    expect(svg).toContain('行き先 アウトレット');
    expect(svg).not.toContain('OUTLET');
  });
});
