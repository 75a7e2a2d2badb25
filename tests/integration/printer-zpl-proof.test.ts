// Proof that the ZPL the station sends prints scannable barcodes, read back with ZXing:
// - the whole label, as the (simulated) printer received it, is rasterised by an offline ZPL
//   renderer (zpl-renderer-js: the zebrash Go renderer compiled to WASM, no network);
// - GS1-128 needs subset switches and FNC1 (>5, >6, >8), which that renderer does not read as
//   the ZPL II guide's invocation table does (it turns >5 into FNC4). So for GS1-128 this test
//   parses ^BC field data itself, by that table, into Code 128 codewords, draws them with
//   bwip-js (raw codewords) and decodes the picture.
import {
  BarcodeFormat,
  BinaryBitmap,
  DecodeHintType,
  HybridBinarizer,
  MultiFormatReader,
  RGBLuminanceSource,
} from '@zxing/library';
import { toBuffer } from 'bwip-js/node';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready } from 'zpl-renderer-js';
import { startTcpPrinterSim, type TcpPrinterSim } from '../../fixtures/printer-sim/tcpPrinter.js';
import { gs1TransmittedData, type Gs1Element } from '../../native/labels/gs1.js';
import { sampleLabel } from '../../contract/label.js';
import { renderGs1128Zpl } from '../../native/labels/zpl.js';
import { createLabelPrinter, type LabelPrinter } from '../../native/printers/labelPrinter.js';

async function rasterise(zpl: string): Promise<PNG> {
  const { api } = await ready;
  const b64 = await api.zplToBase64Async(zpl, 100, 50, 8);
  return PNG.sync.read(Buffer.from(b64, 'base64'));
}

function decodeCode128(png: PNG, gs1 = false): string {
  const pixels = new Uint8ClampedArray(png.width * png.height);
  for (let i = 0; i < pixels.length; i++) {
    const o = i * 4;
    // Transparent background counts as white paper.
    const a = png.data[o + 3]! / 255;
    const lum = (png.data[o]! * 0.299 + png.data[o + 1]! * 0.587 + png.data[o + 2]! * 0.114) * a + 255 * (1 - a);
    pixels[i] = lum;
  }
  const source = new RGBLuminanceSource(pixels, png.width, png.height);
  const reader = new MultiFormatReader();
  const hints = new Map<DecodeHintType, unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.CODE_128]],
    [DecodeHintType.TRY_HARDER, true],
    // Keeps FNC1: "]C1" for a leading one, GS for the separators.
    ...(gs1 ? [[DecodeHintType.ASSUME_GS1, true] as [DecodeHintType, unknown]] : []),
  ]);
  const result = reader.decode(new BinaryBitmap(new HybridBinarizer(source)), hints);
  return result.getText();
}

/** ^BC mode N field data → Code 128 codeword values, by the ZPL II guide's invocation table. */
function zplCode128Codewords(fieldData: string): number[] {
  const INVOKE: Record<string, number> = { '5': 99, '6': 100, '7': 101, '8': 102, '9': 103, ':': 104, ';': 105 };
  const out: number[] = [];
  let subset: 'A' | 'B' | 'C' = 'B';
  if (!fieldData.startsWith('>')) out.push(104);
  for (let i = 0; i < fieldData.length; ) {
    if (fieldData[i] === '>') {
      const code = INVOKE[fieldData[i + 1]!];
      if (code === undefined) throw new Error(`unsupported invocation >${fieldData[i + 1]}`);
      out.push(code);
      if (code === 103) subset = 'A';
      if (code === 104 || (code === 100 && subset !== 'B')) subset = 'B';
      if (code === 105 || (code === 99 && subset !== 'C')) subset = 'C';
      if (code === 101 && subset !== 'A') subset = 'A';
      i += 2;
    } else if (subset === 'C') {
      out.push(Number(fieldData.slice(i, i + 2)));
      i += 2;
    } else {
      out.push(fieldData.charCodeAt(i) - 32);
      i += 1;
    }
  }
  return out;
}

async function drawCodewords(codewords: number[]): Promise<PNG> {
  const text = codewords.map((c) => '^' + String(c).padStart(3, '0')).join('');
  const png = await toBuffer({ bcid: 'code128', text, raw: true, scale: 2, height: 12, paddingwidth: 10, paddingheight: 10, backgroundcolor: 'FFFFFF' } as Parameters<typeof toBuffer>[0]);
  return PNG.sync.read(png);
}

describe('the printed ZPL carries a scannable LPN', () => {
  let printerSim: TcpPrinterSim;
  let printer: LabelPrinter;

  beforeAll(async () => {
    printerSim = await startTcpPrinterSim();
    printer = createLabelPrinter({ transport: 'tcp', host: '127.0.0.1', port: printerSim.port, language: 'zpl', timeoutMs: 2000 });
  });
  afterAll(async () => {
    await printer.close();
    await printerSim.close();
  });

  it('decodes the LPN from the label the printer received', async () => {
    const label = sampleLabel({ lpn: 'LPN-BENCH01-0000042' });
    await expect(printer.print(label)).resolves.toMatchObject({ status: 'printed' });
    const [job] = await printerSim.waitForJobs(1);
    const png = await rasterise(job!.toString('utf8'));
    expect(png.width).toBe(800);
    expect(decodeCode128(png)).toBe('LPN-BENCH01-0000042');
  });

  it('decodes our GS1-128 field data, read by the guide, with FNC1 where the element strings need it', async () => {
    const elements: Gs1Element[] = [
      { ai: '01', value: '04912345678904' },
      { ai: '10', value: 'LOT7A' },
      { ai: '21', value: 'SN0042' },
    ];
    const block = renderGs1128Zpl(elements, { x: 40, y: 40, height: 150, humanReadable: false });
    const fieldData = /\^BCN,150,N,N,N,N\^FH_\^FD(.*)\^FS/.exec(block)?.[1];
    expect(fieldData).toBeDefined();
    const codewords = zplCode128Codewords(fieldData!);
    // Start C, FNC1 first: the GS1-128 marker.
    expect(codewords.slice(0, 2)).toEqual([105, 102]);
    const png = await drawCodewords(codewords);
    // With ASSUME_GS1, ZXing reports the leading FNC1 as the ]C1 identifier and the others as GS.
    expect(decodeCode128(png, true)).toBe(']C1' + gs1TransmittedData(elements));
    expect(gs1TransmittedData(elements)).toBe('0104912345678904' + '10LOT7A\x1d' + '21SN0042');
  });
});
