import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ESC, ETX, renderGs1128Sbpl, renderSbpl, STX, toShiftJisFullWidth } from './sbpl.js';
import { sampleLabel } from '../../contract/label.js';

const esc = (cmd: string): Buffer => Buffer.concat([Buffer.from([ESC]), Buffer.from(cmd, 'latin1')]);

describe('renderSbpl', () => {
  it('frames the job as STX ESC A … ESC Q ESC Z ETX', () => {
    const job = renderSbpl(sampleLabel(), { copies: 2 });
    expect(job[0]).toBe(STX);
    expect(job.subarray(1, 3)).toEqual(esc('A'));
    expect(job.subarray(-3)).toEqual(Buffer.concat([esc('Z'), Buffer.from([ETX])]));
    expect(job.includes(Buffer.concat([esc('Q2'), esc('Z')]))).toBe(true);
    expect(job.includes(esc('A104000800'))).toBe(true);
  });

  it('puts the LPN in a Code 128 (ESC BG) at the layout position, subsets planned', () => {
    const job = renderSbpl(sampleLabel());
    expect(job.includes(Buffer.concat([esc('V0180'), esc('H0024'), esc('BG02110>HLPN->C000123')]))).toBe(true);
    expect(job.includes(Buffer.concat([esc('XM'), Buffer.from('LPN-000123')]))).toBe(true);
  });

  it('sends Japanese text as Shift_JIS through the 24-dot Kanji command', () => {
    const job = renderSbpl(sampleLabel({ productName: '黒いTシャツ' }));
    const sjis = iconv.encode('黒いＴシャツ', 'Shift_JIS');
    expect(sjis).toHaveLength(12);
    expect(job.includes(Buffer.concat([esc('K9B'), sjis]))).toBe(true);
    // And not as UTF-8.
    expect(job.includes(Buffer.from('黒', 'utf8'))).toBe(false);
  });

  it('selects Shift_JIS (ESC KC1) right after ESC A, then prints the field with ESC K9B: the exact bytes', () => {
    const job = renderSbpl(sampleLabel({ productName: '黒いTシャツ' }));
    // STX ESC A ESC KC1 ESC A1 <height><width>
    expect(job.subarray(0, 18).toString('hex')).toBe('02' + '1b41' + '1b4b4331' + '1b4131' + Buffer.from('04000800', 'latin1').toString('hex'));
    // ESC V0020 ESC H0024 ESC L0101 ESC K9B 黒いＴシャツ (CP932: 8D95 82A2 8273 8356 8383 8363)
    const field = Buffer.from('1b56303032301b48303032341b4c303130311b4b3942' + '8d9582a28273835683838363', 'hex');
    expect(job.includes(field)).toBe(true);
    // The external-font call of the NX printers is never used for text.
    expect(job.includes(esc('K2'))).toBe(false);
    expect(job.includes(esc('K1'))).toBe(false);
  });

  it('names the Kanji code once per job, and not at all on a label without Japanese text', () => {
    const ja = renderSbpl(sampleLabel({ language: 'ja' }));
    const count = (hay: Buffer, needle: Buffer): number => {
      let n = 0;
      for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) n++;
      return n;
    };
    expect(count(ja, esc('KC1'))).toBe(1);
    const ascii = renderSbpl(sampleLabel({ productName: 'Organic cotton tee M' }));
    expect(ascii.includes(esc('KC'))).toBe(false);
    expect(ascii.includes(esc('K9'))).toBe(false);
    expect(ascii.subarray(0, 6)).toEqual(Buffer.concat([Buffer.from([STX]), esc('A'), esc('A1')]));
  });

  it('widens half-width katakana and ASCII, and marks characters Shift_JIS lacks', () => {
    expect(iconv.decode(toShiftJisFullWidth('ｼｬﾂ A1'), 'cp932')).toBe('シャツ　Ａ１');
    expect(iconv.decode(toShiftJisFullWidth('黒😀'), 'cp932')).toBe('黒？');
  });

  it('prints the JIS forms of 〜 − — ‖ ¥ ¢ £ ¬ as their Shift_JIS characters, not as ？', () => {
    // U+301C WAVE DASH etc.: what Macs, Java and many WMSs send for the JIS X 0208 characters.
    expect(toShiftJisFullWidth('22\u301c24cm')).toEqual(Buffer.concat([iconv.encode('２２', 'cp932'), Buffer.from([0x81, 0x60]), iconv.encode('２４ｃｍ', 'cp932')]));
    expect(iconv.decode(toShiftJisFullWidth('\u2212\u2014\u2016\u00a5\uffe5\u00a2\u00a3\u00ac'), 'cp932')).toBe('－―∥￥￥￠￡￢');
    const job = renderSbpl(sampleLabel({ productName: 'ソックス 22\u301c24cm' }));
    expect(iconv.decode(job, 'cp932')).toContain('ソックス　２２～２４ｃｍ');
  });

  it('prints an ellipsis as the one Shift_JIS character …, not as three full-width dots', () => {
    expect(toShiftJisFullWidth('シャツ…')).toEqual(Buffer.concat([iconv.encode('シャツ', 'cp932'), Buffer.from([0x81, 0x63])]));
    expect(iconv.decode(toShiftJisFullWidth('待って‥ 36.5℃ ″'), 'cp932')).toBe('待って‥　３６．５℃　″');
    // Half-width katakana around it are still widened, voiced marks composed.
    expect(iconv.decode(toShiftJisFullWidth('ｼﾞｬｹｯﾄ…ﾊﾟｰｶ'), 'cp932')).toBe('ジャケット…パーカ');
    // A product name cut to fit ends in … and that is what the printer gets.
    const long = 'オーガニックコットン半袖Tシャツ 丸首 ホワイト Mサイズ 二枚組 限定カラー';
    const job = iconv.decode(renderSbpl(sampleLabel({ productName: long })), 'cp932');
    expect(job).toMatch(/オーガニック[^\x1b]*…\x1b/);
    expect(job).not.toContain('．．．');
  });

  it('keeps control bytes in data from ending the job or starting a command', () => {
    const job = renderSbpl(sampleLabel({ sku: 'A\x1bZ\x03\x02B', destination: 'X\x1bQ99' }));
    const count = (b: number): number => [...job].filter((x) => x === b).length;
    expect(count(STX)).toBe(1);
    expect(count(ETX)).toBe(1);
    expect(job.includes(Buffer.from('SKU A?Z??B'))).toBe(true);
    expect(job.includes(esc('Q99'))).toBe(false);
  });

  it('encodes GS1-128 with FNC1 as >F', () => {
    const cmd = renderGs1128Sbpl([{ ai: '01', value: '09501101530003' }, { ai: '10', value: 'AB12' }, { ai: '21', value: '7' }], { x: 10, y: 20, height: 80 });
    expect(cmd.toString('latin1')).toContain('BG02080>I>F010950110153000310>DAB12>F217');
  });

  it('prints the disposition and destination in Japanese through the Kanji command on a Japanese bench', () => {
    const job = renderSbpl(sampleLabel({ language: 'ja', disposition: 'repair', destination: 'REPAIR' }));
    expect(job.includes(Buffer.concat([esc('K9B'), toShiftJisFullWidth('修理')]))).toBe(true);
    expect(job.includes(Buffer.concat([esc('K9B'), toShiftJisFullWidth('行き先 修理')]))).toBe(true);
    expect(job.includes(Buffer.from('REPAIR', 'latin1'))).toBe(false);
  });
});
