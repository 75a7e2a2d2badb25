// Masking of personal data and secrets before anything reaches a log file.
// Logs leave the bench (support tickets, shared drives), customer data and credentials must not.

/** Keys whose values are secrets: replaced whole, whatever their shape. `pin` only as a word (not "shipping"). */
const SECRET_KEY = /(token|secret|passw(or)?d|authorization|cookie|api_?key|credential)|^pin|_pin|[a-z]Pin(Hash|Code)?$|^PIN/i;
/** Keys whose values are customer personal data; device and network addresses stay readable. */
const PERSONAL_KEY =
  /(customer|recipient|consignee|shipper|phone|^tel$|telephone|mobile|^fax$|e_?mail|postal|zip_?code|^(full_?|first_?|last_?|given_?|family_?)?name$|^kana(_?name)?$|^kanji(_?name)?$|^(home_?|street_?|ship(ping)?_?)?address$)/i;

/**
 * Runs of kanji, hiragana, katakana (full and half width) and full-width Latin: a customer name in Japanese
 * cannot be told apart from other Japanese text, so every such run is masked. Log messages are written in English.
 */
const JAPANESE_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc\u3005\u3006\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff66-\uff9f]+/gu;
/** Japanese phone numbers: 0 + 9–10 digits, optionally split by hyphens, spaces or parentheses, or +81 without the leading 0. */
const PHONE = /(?<![\d-])(?:\+81[\s-]?|\(?0)\d{1,4}(?:[\s-]|\)\s?)?\d{1,4}[\s-]?\d{3,4}(?![\d-])/g;
// Anchored at the start of a run and bounded, so a long run of letters costs linear time, not quadratic.
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
/** `token=…`, `"pin":"1234"`, `pin: 1234` inside free text (URLs, error messages, JSON dumped into a message). */
const INLINE_SECRET = /\b((?:[a-z_]*token|pin|password|secret|api_?key|rs_token)["']?\s*[:=]\s*["']?)([^\s"'&;,}]+)/gi;

export const MASK = {
  secret: '[redacted]',
  phone: '[phone]',
  email: '[email]',
  name: '[name]',
  personal: '[personal]',
} as const;

function digitsOf(s: string): number {
  return s.replace(/\D/g, '').length;
}

/** Masks phones, e-mails, Japanese text runs and inline secrets in free text. */
export function maskText(text: string): string {
  return text
    .replace(BEARER, (_m, scheme: string) => `${scheme} ${MASK.secret}`)
    .replace(INLINE_SECRET, (_m, key: string) => `${key}${MASK.secret}`)
    .replace(EMAIL, MASK.email)
    .replace(PHONE, (m) => {
      // A JP number has 10–11 digits with the trunk 0, or 9–10 after +81; 12-digit tracking numbers stay readable.
      const d = digitsOf(m);
      const international = m.startsWith('+81');
      return (international ? d >= 11 && d <= 12 : d >= 10 && d <= 11) ? MASK.phone : m;
    })
    .replace(JAPANESE_RUN, MASK.name);
}

const MAX_DEPTH = 8;

/** A JSON-safe copy of `value` with secrets and personal data masked; cycles and deep nesting are cut. */
export function maskValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return maskText(value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'undefined' || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (depth >= MAX_DEPTH) return '[deep]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: maskText(value.message) };
    if (value.stack) out.stack = maskText(value.stack);
    const code = (value as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') out.code = code;
    if (value.cause !== undefined) out.cause = maskValue(value.cause, depth + 1, seen);
    return out;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => maskValue(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (SECRET_KEY.test(key)) out[key] = v === null || v === undefined ? v : MASK.secret;
    else if (PERSONAL_KEY.test(key)) out[key] = v === null || v === undefined ? v : MASK.personal;
    else out[key] = maskValue(v, depth + 1, seen);
  }
  return out;
}
