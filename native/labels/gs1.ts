// GS1-128 element strings. FNC1 is explicit: one right after the start code (that is what makes
// a Code 128 symbol GS1-128) and one after every variable-length element that is not last.
import { z } from 'zod';
import { FNC1, type Code128Token } from './code128.js';

export const Gs1Element = z.object({
  ai: z.string().regex(/^\d{2,4}$/, 'AI: 2–4 digits'),
  // GS1 AI encodable character set 82.
  value: z.string().min(1).max(90).regex(/^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$/, 'value outside GS1 character set 82'),
});
export type Gs1Element = z.infer<typeof Gs1Element>;

/**
 * AIs whose length is predefined by their first two digits (GS1 General Specifications,
 * "element strings with predefined length"): no FNC1 separator follows them. Value = total
 * length of AI + data.
 */
const PREDEFINED_LENGTH: Record<string, number> = {
  '00': 20, '01': 16, '02': 16, '03': 16, '04': 18,
  '11': 8, '12': 8, '13': 8, '14': 8, '15': 8, '16': 8, '17': 8, '18': 8, '19': 8,
  '20': 4,
  '31': 10, '32': 10, '33': 10, '34': 10, '35': 10, '36': 10,
  '41': 16,
};

export function isPredefinedLength(ai: string): boolean {
  return PREDEFINED_LENGTH[ai.slice(0, 2)] !== undefined;
}

function validate(elements: readonly Gs1Element[]): Gs1Element[] {
  const parsed = z.array(Gs1Element).min(1).parse(elements);
  for (const e of parsed) {
    const total = PREDEFINED_LENGTH[e.ai.slice(0, 2)];
    if (total !== undefined && e.ai.length + e.value.length !== total) {
      throw new Error(`GS1 AI (${e.ai}) needs ${total - e.ai.length} characters, got ${e.value.length}`);
    }
    if (total !== undefined && !/^\d+$/.test(e.value)) throw new Error(`GS1 AI (${e.ai}) is numeric`);
  }
  return parsed;
}

/** Code 128 tokens: FNC1, then each AI and value, FNC1 after variable-length elements but the last. */
export function gs1Tokens(elements: readonly Gs1Element[]): Code128Token[] {
  const parsed = validate(elements);
  const tokens: Code128Token[] = [FNC1];
  parsed.forEach((e, idx) => {
    tokens.push(...Array.from(e.ai + e.value));
    if (idx < parsed.length - 1 && !isPredefinedLength(e.ai)) tokens.push(FNC1);
  });
  return tokens;
}

/** Human-readable interpretation: "(01)09501234567890(21)ABC123". */
export function gs1HumanReadable(elements: readonly Gs1Element[]): string {
  return validate(elements).map((e) => `(${e.ai})${e.value}`).join('');
}

/** The transmitted data as a scanner reports it: GS (ASCII 29) where an inner FNC1 was. */
export function gs1TransmittedData(elements: readonly Gs1Element[]): string {
  return gs1Tokens(elements)
    .slice(1)
    .map((t) => (typeof t === 'string' ? t : '\x1d'))
    .join('');
}
