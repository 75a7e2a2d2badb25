import { BrowserMultiFormatReader, NotFoundException, type Result } from '@zxing/library';
import { decodeHints } from './hints.js';

/** A reader with the hints set for this call (see decodeHints); live video decodes lighter and less often. */
export function newReader(source: 'video' | 'image' = 'image'): BrowserMultiFormatReader {
  const hints = () => decodeHints({ tryHarder: source === 'image' }) as Map<never, unknown>;
  const reader = new BrowserMultiFormatReader(hints(), source === 'video' ? 500 : 250);
  reader.hints = hints();
  return reader;
}

/** Decodes a barcode from an image file (a photo of a label); null when there is none. */
export async function decodeImageFile(file: Blob): Promise<string | null> {
  const url = URL.createObjectURL(file);
  const reader = newReader();
  try {
    const result: Result = await reader.decodeFromImageUrl(url);
    return result.getText();
  } catch (e) {
    if (e instanceof NotFoundException) return null;
    throw e;
  } finally {
    reader.reset();
    URL.revokeObjectURL(url);
  }
}
