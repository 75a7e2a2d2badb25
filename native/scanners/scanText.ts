// Bytes from a scanner → a ScanEvent, or a sentence saying why not. Shared by the serial and
// HID-POS drivers. The GS separator (ASCII 29) and the ISO 15434 envelope bytes (RS, EOT, FS)
// are data, not noise: GS1 parsing downstream needs them exactly as scanned.
import iconv from 'iconv-lite';
import { z } from 'zod';
import { ScanEvent } from '../../contract/index.js';
import { visibleBytes } from '../transports/framing.js';
import { splitAim } from './aim.js';

/** auto: UTF-8 when the bytes are valid UTF-8, else Shift_JIS (Japanese QR codes carry either). */
export const ScanEncoding = z.enum(['auto', 'utf8', 'shift_jis', 'latin1']);
export type ScanEncoding = z.infer<typeof ScanEncoding>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeScanBytes(bytes: Buffer, encoding: ScanEncoding): string {
  switch (encoding) {
    case 'latin1':
      return bytes.toString('latin1');
    case 'utf8':
      return bytes.toString('utf8');
    case 'shift_jis':
      return iconv.decode(bytes, 'Shift_JIS');
    case 'auto':
      try {
        return utf8.decode(bytes);
      } catch {
        return iconv.decode(bytes, 'Shift_JIS');
      }
  }
}

// Allowed control characters: EOT, FS, GS, RS (ISO 15434 / GS1). Anything else is a sign of a
// wrong baud rate or a broken cable, so the frame is refused instead of stored as garbage.
const FORBIDDEN = /[\x00-\x03\x05-\x1b\x1f\x7f\ufffd]/u;

export type ScanResult = { ok: true; scan: ScanEvent } | { ok: false; problem: string };

export function scanFromBytes(bytes: Buffer, opts: { source: string; encoding: ScanEncoding; at?: number }): ScanResult {
  const text = decodeScanBytes(bytes, opts.encoding);
  const bad = FORBIDDEN.exec(text);
  if (bad) {
    const what = bad[0] === '\ufffd' ? 'bytes that are not valid text' : `control byte 0x${bad[0].charCodeAt(0).toString(16).padStart(2, '0')}`;
    return {
      ok: false,
      problem: `scan from ${opts.source} refused: it contains ${what} (wrong baud rate, parity or cable?): ${visibleBytes(bytes)}`,
    };
  }
  const split = splitAim(text);
  if (split.data.length === 0) {
    return { ok: false, problem: `scan from ${opts.source} refused: no data after ${split.aim ?? 'the prefix'}` };
  }
  const parsed = ScanEvent.safeParse({
    text: split.data,
    symbology: split.symbology,
    aim: split.aim,
    gs1: split.gs1,
    source: opts.source,
    at: opts.at ?? Date.now(),
  });
  if (!parsed.success) {
    return { ok: false, problem: `scan from ${opts.source} refused: ${parsed.error.issues[0]?.message ?? 'invalid'}: ${visibleBytes(bytes)}` };
  }
  return { ok: true, scan: parsed.data };
}
