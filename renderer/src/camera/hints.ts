import { BarcodeFormat, DecodeHintType } from '@zxing/library';

/**
 * Decode hints, built fresh for every decode: the reader resets its hints between calls otherwise.
 * Codabar (NW-7) is on for Japanese waybills; ASSUME_GS1 keeps FNC1 as GS separators.
 */
export function decodeHints(options: { tryHarder?: boolean } = {}): Map<DecodeHintType, unknown> {
  const hints = new Map<DecodeHintType, unknown>();
  hints.set(DecodeHintType.POSSIBLE_FORMATS, [
    BarcodeFormat.CODABAR,
    BarcodeFormat.CODE_128,
    BarcodeFormat.CODE_39,
    BarcodeFormat.EAN_13,
    BarcodeFormat.EAN_8,
    BarcodeFormat.ITF,
    BarcodeFormat.UPC_A,
    BarcodeFormat.DATA_MATRIX,
    BarcodeFormat.QR_CODE,
  ]);
  hints.set(DecodeHintType.ASSUME_GS1, true);
  // TRY_HARDER for still images only: on live video it keeps the UI thread busy, and the next frame is a retry anyway.
  if (options.tryHarder ?? true) hints.set(DecodeHintType.TRY_HARDER, true);
  return hints;
}
