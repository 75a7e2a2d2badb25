/**
 * GS1 mod-10 check digits for GTIN-8/12/13/14 (and any GS1 key that uses the same
 * algorithm, e.g. SSCC-18). Weights 3,1,3,1… are applied from the rightmost data digit.
 */

export const GTIN_LENGTHS = [8, 12, 13, 14] as const;
export type GtinLength = (typeof GTIN_LENGTHS)[number];

/** Check digit for a string of data digits (the code without its last digit). */
export function gs1CheckDigit(dataDigits: string): number {
  if (!/^\d+$/.test(dataDigits)) throw new RangeError('gs1CheckDigit expects digits only');
  let sum = 0;
  for (let i = 0; i < dataDigits.length; i++) {
    const digit = dataDigits.charCodeAt(dataDigits.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when `code` is all digits and its last digit is the GS1 mod-10 check digit. */
export function hasValidGs1CheckDigit(code: string): boolean {
  if (!/^\d{2,}$/.test(code)) return false;
  return gs1CheckDigit(code.slice(0, -1)) === Number(code.slice(-1));
}

export function isGtinLength(n: number): n is GtinLength {
  return (GTIN_LENGTHS as readonly number[]).includes(n);
}

/** A GTIN-8/12/13/14 with a correct check digit. */
export function isValidGtin(code: string): boolean {
  return /^\d+$/.test(code) && isGtinLength(code.length) && hasValidGs1CheckDigit(code);
}

/** Appends the check digit to 7, 11, 12 or 13 data digits. */
export function completeGtin(dataDigits: string): string {
  if (!/^\d+$/.test(dataDigits) || !isGtinLength(dataDigits.length + 1)) {
    throw new RangeError(`completeGtin expects 7, 11, 12 or 13 digits, got "${dataDigits}"`);
  }
  return dataDigits + String(gs1CheckDigit(dataDigits));
}

/**
 * Left-pads a GTIN-8/12/13/14 to the 14-digit form we store (padding keeps the check
 * digit valid because leading zeros add nothing to the weighted sum).
 * Returns null for anything that is not a GTIN of a valid length and check digit.
 */
export function toGtin14(code: string): string | null {
  const digits = code.trim();
  if (!isValidGtin(digits)) return null;
  return digits.padStart(14, '0');
}

/** The shortest common display form: GTIN-13 for JAN/EAN, GTIN-8 stays as is only if given. */
export function gtin14ToGtin13(gtin14: string): string | null {
  if (!isValidGtin(gtin14) || gtin14.length !== 14 || !gtin14.startsWith('0')) return null;
  return gtin14.slice(1);
}
