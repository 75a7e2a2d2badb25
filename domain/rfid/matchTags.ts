/**
 * Matches the tags read from a whole parcel to the RMA's lines by GTIN (EPC decoded with the
 * Tag Data Standard). Pure: the caller collects reads (native/rfid) and owns what happens next.
 * Each physical tag counts once however often it was read; a line takes at most its expected
 * quantity, the rest are reported as surplus so the operator sees "3 tagged, 2 expected".
 */
import { decodeEpc } from '../identifiers/epc.js';

export interface MatchLine {
  lineId: string;
  /** GTIN-14 (shorter GTINs are compared zero-padded to 14 digits). */
  gtin: string;
  /** Units still expected on this line. */
  expectedQty: number;
}

export interface MatchedTag {
  epcHex: string;
  gtin: string;
  serial: string;
}

export interface LineMatch {
  lineId: string;
  gtin: string;
  expectedQty: number;
  tags: MatchedTag[];
  /** expectedQty - tags.length, never below 0. */
  missing: number;
}

export interface TagMatchResult {
  lines: LineMatch[];
  /** Item tags (SGTIN) whose GTIN is on the RMA but beyond the line's expected quantity. */
  surplus: MatchedTag[];
  /** Item tags whose GTIN is not on the RMA at all. */
  unexpected: MatchedTag[];
  /** Decodable EPCs that identify no trade item (SSCC, GRAI, …: cases, totes, assets). */
  nonItem: Array<{ epcHex: string; scheme: string }>;
  /** Tags that are not a valid EPC (blank tags, TID reads, corrupted reads). */
  undecodable: Array<{ epcHex: string; error: string }>;
  /** Every expected unit has a tag and nothing unexpected was read. */
  complete: boolean;
}

const gtin14 = (g: string): string => g.padStart(14, '0');

export function matchTagsToLines(tags: ReadonlyArray<{ epcHex: string }>, lines: readonly MatchLine[]): TagMatchResult {
  const result: TagMatchResult = {
    lines: lines.map((l) => ({ lineId: l.lineId, gtin: gtin14(l.gtin), expectedQty: Math.max(0, l.expectedQty), tags: [], missing: Math.max(0, l.expectedQty) })),
    surplus: [],
    unexpected: [],
    nonItem: [],
    undecodable: [],
    complete: false,
  };
  const seen = new Set<string>();
  for (const { epcHex: raw } of tags) {
    const epcHex = raw.trim().toUpperCase();
    if (seen.has(epcHex)) continue;
    seen.add(epcHex);
    const decoded = decodeEpc(epcHex);
    if (!decoded.ok) {
      result.undecodable.push({ epcHex, error: decoded.error });
      continue;
    }
    if (decoded.gtin === undefined || decoded.serial === undefined) {
      result.nonItem.push({ epcHex, scheme: decoded.scheme });
      continue;
    }
    const tag: MatchedTag = { epcHex, gtin: decoded.gtin, serial: decoded.serial };
    const candidates = result.lines.filter((l) => l.gtin === decoded.gtin);
    if (candidates.length === 0) {
      result.unexpected.push(tag);
      continue;
    }
    // Two lines can share a GTIN (ordered twice); fill them in RMA order.
    const line = candidates.find((l) => l.tags.length < l.expectedQty);
    if (!line) {
      result.surplus.push(tag);
      continue;
    }
    line.tags.push(tag);
    line.missing = line.expectedQty - line.tags.length;
  }
  result.complete = result.lines.every((l) => l.missing === 0) && result.surplus.length === 0 && result.unexpected.length === 0;
  return result;
}
