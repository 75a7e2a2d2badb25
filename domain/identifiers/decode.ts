/**
 * The `returns-station decode` command without its I/O: argument parsing and one JSON line
 * per input. The bin script reads stdin/argv and writes what this returns.
 */
import { DecodedCode } from '../../contract/index.js';
import { classifyCode, type ClassifyOptions } from './classify.js';

export interface DecodeArgs {
  /** Texts to decode; empty means "read lines from standard input". */
  inputs: string[];
  options: ClassifyOptions;
  /** Exit non-zero when any input is not valid. */
  strict: boolean;
  help: boolean;
}

export const DECODE_USAGE = `Usage: returns-station decode [options] "<scanned text>" ["<text>" ...]
       returns-station decode [options] -          (one code per line on standard input)

Prints one JSON object per input: {"kind","valid","normalized","carrier"?,"gtin"?,"serial"?,
"lot"?,"expiry"?,"epcScheme"?,"error"?,...}. Kinds: tracking, gs1, gtin, epc, rma, order, lpn, unknown.

Options:
  --gs <text>          what your scanner sends instead of the GS separator (repeatable;
                       replaces the defaults "␝", "<GS>", "{GS}")
  --expect parcel|item break the tie of a 12-digit code (tracking number vs UPC-A)
  --strict             exit with status 1 if any input is not valid
  -h, --help           show this help`;

export function parseDecodeArgs(argv: readonly string[]): DecodeArgs | { error: string } {
  const inputs: string[] = [];
  const gs: string[] = [];
  const options: ClassifyOptions = {};
  let strict = false;
  let help = false;
  let onlyInputs = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (onlyInputs || !arg.startsWith('-') || arg === '-') {
      if (arg !== '-') inputs.push(arg);
      continue;
    }
    if (arg === '--') onlyInputs = true;
    else if (arg === '--strict') strict = true;
    else if (arg === '-h' || arg === '--help') help = true;
    else if (arg === '--gs' || arg === '--expect') {
      const value = argv[++i];
      if (value === undefined) return { error: `${arg} needs a value` };
      if (arg === '--gs') gs.push(value);
      else if (value === 'parcel' || value === 'item') options.expect = value;
      else return { error: '--expect is "parcel" or "item"' };
    } else {
      return { error: `unknown option ${arg} (a code starting with "-"? put it after --)` };
    }
  }
  if (gs.length > 0) options.gsStandIns = gs;
  return { inputs, options, strict, help };
}

/** One compact JSON line per input, each checked against the contract before it is printed. */
export function decodeToJsonLines(inputs: readonly string[], options: ClassifyOptions = {}): { lines: string[]; allValid: boolean } {
  let allValid = true;
  const lines = inputs.map((input) => {
    const decoded = DecodedCode.parse(classifyCode(input, options));
    if (!decoded.valid) allValid = false;
    return JSON.stringify(decoded);
  });
  return { lines, allValid };
}
