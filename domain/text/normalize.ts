/**
 * Normalisation for searching Japanese customer data (names, kana, phone numbers) the way
 * people type it: full-width or half-width, hiragana or katakana, with or without spaces.
 * Apply the same function to the stored value and to the query, then compare.
 */

// Hiragana ぁ..ゖ and the iteration marks ゝゞ sit exactly 0x60 below their katakana.
const HIRAGANA = /[\u3041-\u3096\u309d\u309e]/g;

/** Hiragana → katakana; everything else untouched (romaji stays romaji, unlike wanakana's converters). */
export function hiraganaToKatakana(s: string): string {
  return s.replace(HIRAGANA, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60));
}

// After NFKC: ASCII space and hyphen, other Unicode spaces and dashes, and the middle dot
// that separates given and family names written in katakana (ジョン・スミス).
const SEARCH_SEPARATORS = /[\s\-\u2010-\u2015\u2212\u30fb\u00b7]/g;

/**
 * NFKC (full-width ASCII → ASCII, half-width katakana → full-width, ｶﾞ → ガ), hiragana
 * folded to katakana, lowercased, spaces/hyphens/middle dots removed.
 * The katakana long vowel mark ー is kept: it is part of names (ユーコ), not a separator.
 */
export function normalizeForSearch(s: string): string {
  return hiraganaToKatakana(s.normalize('NFKC')).toLowerCase().replace(SEARCH_SEPARATORS, '');
}

/**
 * Digits only, the form we store and search phone numbers in: "０９０－１２３４－５６７８",
 * "090 1234 5678" and "+81 90-1234-5678" all become "09012345678".
 * Returns "" when there are no digits.
 */
export function normalizePhone(s: string): string {
  const t = s.normalize('NFKC').trim();
  const digits = t.replace(/\D/g, '');
  // Japan's country code replaces the trunk prefix 0.
  if (/^\+\s*81/.test(t) || /^00\s*81/.test(t)) {
    const national = digits.replace(/^0{0,2}81/, '');
    return national.startsWith('0') ? national : `0${national}`;
  }
  return digits;
}

/**
 * How well a typed name or reading matches a stored one, for ordering search results:
 * 3 = the whole name or one of its words, 2 = the start of the name or of one of its words,
 * 0 = no match. Never inside a word: 「いとう」 finds イトウ ユキ but not サイトウ ハナコ.
 */
export function nameMatchScore(stored: string, query: string): 0 | 2 | 3 {
  const q = normalizeForSearch(query);
  if (q.length === 0) return 0;
  const terms = nameSearchTerms(stored);
  if (terms.includes(q)) return 3;
  if (terms.some((w) => w.startsWith(q))) return 2;
  return 0;
}

/**
 * What a stored name or reading is found by: the whole of it and each of its words, normalised. A query
 * equal to one of them scores 3 in nameMatchScore, the start of one 2; so a search index of these terms
 * (db/repositories/rmaSearch.ts) answers as nameMatchScore would, by prefix, without reading every name.
 */
export function nameSearchTerms(stored: string): string[] {
  const words = stored
    .normalize('NFKC')
    .split(SEARCH_SEPARATORS)
    .map(normalizeForSearch)
    .filter((w) => w.length > 0);
  const whole = normalizeForSearch(stored);
  return [...new Set(whole ? [whole, ...words] : words)];
}

/**
 * A typed phone number against a stored one, both as digits: 3 = the same number, 2 = its start
 * ("090", "0901234"), 1 = its last four or more digits, 0 = no match. Three digits at least.
 */
export function phoneMatchScore(stored: string, query: string): 0 | 1 | 2 | 3 {
  const q = normalizePhone(query);
  const s = normalizePhone(stored);
  if (q.length < PHONE_QUERY_MIN_DIGITS || s.length === 0) return 0;
  if (s === q) return 3;
  if (s.startsWith(q)) return 2;
  if (q.length >= PHONE_SUFFIX_MIN_DIGITS && s.endsWith(q)) return 1;
  return 0;
}

/** Fewest digits a phone query needs (phoneMatchScore), and fewest for its last digits to count. */
export const PHONE_QUERY_MIN_DIGITS = 3;
export const PHONE_SUFFIX_MIN_DIGITS = 4;

/** A phone number's digits reversed: its last digits become a prefix, so an index finds "ends with" by range. */
export const reversedDigits = (digits: string): string => [...digits].reverse().join('');

/**
 * A typed search text as the LIKE pattern of "contains this text", taken literally: its own % and _ and the escape
 * character (\, for `ESCAPE '\'`) match only themselves. Full-width letters typed with the IME on become ASCII
 * (NFKC), so a case-insensitive LIKE finds them; spaces are dropped, to be compared with names whose spaces are
 * dropped too (佐藤花子 finds 佐藤 花子).
 */
export function containsLikePattern(text: string): string {
  return `%${text.normalize('NFKC').replace(/\s+/g, '').replace(/[\\%_]/g, '\\$&')}%`;
}

/**
 * Whether a bench id as a lead types it (bench-a, or ｂｅｎｃｈ－ａ with the IME on) names the bench `stationId`: the
 * whole id, in any case. The site hub's review queue matches its enrolled benches so (hub/review.ts listSiteReview);
 * a bench answering the same filter from its own copy must say the same, or the list would change with the hub's
 * reachability. Whole, not part: BENCH-1 must not also bring BENCH-10 to BENCH-19.
 */
export function namesBench(typed: string, stationId: string): boolean {
  return typed.normalize('NFKC').trim().toUpperCase() === stationId.toUpperCase();
}
