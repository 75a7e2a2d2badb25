// Code 128 subset planning shared by the printer languages. Both ZPL (^BC mode N) and SATO
// (ESC BG) take data as characters plus two-character invocations for start codes, subset
// switches and FNC1; only the invocation spellings differ.

export type Code128Token = string | { fnc1: true };
export const FNC1: Code128Token = { fnc1: true };

export interface Code128Dialect {
  startB: string;
  startC: string;
  toB: string;
  toC: string;
  fnc1: string;
  /** Spelling of a literal character in subset B (escapes the dialect's own prefix). */
  literal(ch: string): string;
}

const isDigit = (t: Code128Token | undefined): t is string => typeof t === 'string' && t >= '0' && t <= '9';

function digitRun(tokens: readonly Code128Token[], from: number): number {
  let n = 0;
  while (isDigit(tokens[from + n])) n++;
  return n;
}

/** Code 128 B covers printable ASCII; anything else cannot be encoded without FNC4 tricks. */
export function assertCode128Encodable(tokens: readonly Code128Token[]): void {
  for (const t of tokens) {
    if (typeof t === 'string' && !/^[\x20-\x7e]$/.test(t)) {
      throw new Error(`Code 128 cannot encode ${JSON.stringify(t)}`);
    }
  }
}

/**
 * Plans subsets: C for digit pairs (runs of 4+, or a leading even run), B for everything else.
 * Returns the dialect's data string, start code included.
 */
export function encodeCode128(tokens: readonly Code128Token[], d: Code128Dialect, opts: { subsetC?: boolean } = {}): string {
  assertCode128Encodable(tokens);
  if (opts.subsetC === false) {
    return d.startB + tokens.map((t) => (typeof t === 'string' ? d.literal(t) : d.fnc1)).join('');
  }
  let i = 0;
  // Leading FNC1s (GS1-128) do not decide the start subset; the digits after them do.
  let lead = 0;
  while (tokens[lead] !== undefined && typeof tokens[lead] !== 'string') lead++;
  const firstRun = digitRun(tokens, lead);
  let subset: 'B' | 'C' = firstRun >= 2 && (firstRun % 2 === 0 || firstRun >= 4) ? 'C' : 'B';
  let out = subset === 'C' ? d.startC : d.startB;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (typeof t !== 'string') {
      out += d.fnc1;
      i++;
      continue;
    }
    if (subset === 'C') {
      if (isDigit(t) && isDigit(tokens[i + 1])) {
        out += t + tokens[i + 1];
        i += 2;
      } else {
        out += d.toB;
        subset = 'B';
      }
      continue;
    }
    const run = digitRun(tokens, i);
    if (run >= 4) {
      if (run % 2 === 1) {
        out += d.literal(t);
        i++;
      }
      out += d.toC;
      subset = 'C';
      continue;
    }
    out += d.literal(t);
    i++;
  }
  return out;
}

export function tokensOf(text: string): Code128Token[] {
  return Array.from(text);
}
