/**
 * RFID EPCs: hex from the EPC memory bank (SGTIN-96/198, SSCC-96, SGLN, GRAI, GIAI, GID,
 * GSRN, GDTI, CPI, SGCN) decoded with epc-tds, plus EPC tag URIs and the pure-identity
 * URIs of SGTIN and SSCC. epc-tds decodes whatever bits it is given, even two hex digits,
 * so we insist on the exact length the scheme defines (its bit count padded to whole
 * 16-bit words, as readers report the EPC bank).
 */
import tds from 'epc-tds';
import { gs1CheckDigit, hasValidGs1CheckDigit } from './gtin.js';

export type EpcResult =
  | {
      ok: true;
      /** As the Tag Data Standard names it, e.g. "SGTIN-96", "SSCC-96", "GRAI-170". */
      scheme: string;
      /** Uppercase hex EPC, when the input was hex or a tag URI. */
      hex?: string;
      tagUri?: string;
      idUri?: string;
      gtin?: string;
      serial?: string;
      sscc?: string;
    }
  | { ok: false; error: string };

type Decoded = ReturnType<typeof tds.valueOf>;

/** Pre-checks that keep obviously-not-EPC text from reaching the library. */
export function looksLikeEpcHex(text: string): boolean {
  return /^[0-9A-Fa-f]{24}$|^[0-9A-Fa-f]{44}$|^[0-9A-Fa-f]{52}$/.test(text);
}

function describe(epc: Decoded, hex?: string): EpcResult {
  const scheme = epc.getType();
  const out: EpcResult = { ok: true, scheme, tagUri: epc.toTagURI(), idUri: epc.toIdURI() };
  if (hex !== undefined) out.hex = hex;
  if (epc instanceof tds.Sgtin96 || epc instanceof tds.Sgtin198) {
    const gtin = epc.getGtin();
    if (!/^\d{14}$/.test(gtin) || !hasValidGs1CheckDigit(gtin)) return { ok: false, error: `${scheme} does not hold a valid GTIN` };
    out.gtin = gtin;
    out.serial = String(epc.getSerial());
  } else if (epc instanceof tds.Sscc96) {
    const sscc = epc.getSscc();
    if (!/^\d{18}$/.test(sscc)) return { ok: false, error: 'SSCC-96 does not hold an 18-digit SSCC' };
    out.sscc = sscc;
  }
  return out;
}

/** Decodes an EPC given as hex. Never throws. */
export function decodeEpc(input: string): EpcResult {
  const hex = input.trim().replace(/\s+/g, '').toUpperCase();
  if (!/^[0-9A-F]+$/.test(hex)) return { ok: false, error: 'EPC hex must contain only 0-9 and A-F' };
  try {
    const epc = tds.valueOf(hex);
    const bits = epc.getTotalBits();
    const expectedHex = Math.ceil(bits / 16) * 4;
    if (hex.length !== expectedHex) {
      return { ok: false, error: `${epc.getType()} is ${expectedHex} hex digits, got ${hex.length}` };
    }
    const partition = 'getPartition' in epc && typeof epc.getPartition === 'function' ? epc.getPartition() : 0;
    if (typeof partition === 'number' && partition > 6) return { ok: false, error: `invalid partition value ${partition}` };
    return describe(epc, hex);
  } catch (e) {
    return { ok: false, error: `not a decodable EPC: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Decodes urn:epc:tag:… (via epc-tds) and urn:epc:id:sgtin / urn:epc:id:sscc. Never throws. */
export function decodeEpcUri(input: string): EpcResult {
  const uri = input.trim();
  const lower = uri.toLowerCase();
  try {
    if (lower.startsWith('urn:epc:tag:')) {
      const epc = tds.fromTagURI(uri);
      return describe(epc, epc.toHexString().toUpperCase());
    }
    const sgtin = /^urn:epc:id:sgtin:(\d+)\.(\d+)\.(.+)$/i.exec(uri);
    if (sgtin) {
      const [, company = '', indicatorItem = '', serial = ''] = sgtin;
      if (company.length + indicatorItem.length !== 13) return { ok: false, error: 'SGTIN URI company prefix + item reference must be 13 digits' };
      const body = indicatorItem.slice(0, 1) + company + indicatorItem.slice(1);
      return { ok: true, scheme: 'SGTIN', idUri: uri, gtin: body + String(gs1CheckDigit(body)), serial: decodeURIComponent(serial) };
    }
    const sscc = /^urn:epc:id:sscc:(\d+)\.(\d+)$/i.exec(uri);
    if (sscc) {
      const [, company = '', serialRef = ''] = sscc;
      if (company.length + serialRef.length !== 17) return { ok: false, error: 'SSCC URI company prefix + serial reference must be 17 digits' };
      const body = serialRef.slice(0, 1) + company + serialRef.slice(1);
      return { ok: true, scheme: 'SSCC', idUri: uri, sscc: body + String(gs1CheckDigit(body)) };
    }
    return { ok: false, error: 'unsupported EPC URI' };
  } catch (e) {
    return { ok: false, error: `not a decodable EPC URI: ${e instanceof Error ? e.message : String(e)}` };
  }
}
