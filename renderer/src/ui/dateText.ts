// A date field in the UI's language rather than the browser's: <input type="date"> shows Chromium's own locale
// (mm/dd/yyyy on an en-US PC) whatever language the supervisor chose, so the Reports filters type dates as text.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  return m !== null && validDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

function validDay(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** How the field shows a YYYY-MM-DD date: 2026/12/07 in Japanese, 2026-12-07 (unambiguous) in English. */
export function dateForField(iso: string, language: string): string {
  if (!isIsoDate(iso)) return iso;
  return language === 'ja' ? iso.replaceAll('-', '/') : iso;
}

export function datePlaceholder(language: string): string {
  return language === 'ja' ? 'yyyy/mm/dd' : 'yyyy-mm-dd';
}

/**
 * What the supervisor typed as YYYY-MM-DD, or null. An IME left on gives full-width digits and 年月日 or ／, so
 * those are read too; so are 2026/12/7, 2026-12-07, 2026.12.07 and 20261207.
 */
export function parseDateField(text: string): string | null {
  const half = text
    .normalize('NFKC')
    .trim()
    .replace(/日$/, '')
    .replace(/[年月.]/g, '/');
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(half);
  const parts = compact ?? /^(\d{4})\s*[/-]\s*(\d{1,2})\s*[/-]\s*(\d{1,2})$/.exec(half);
  if (!parts) return null;
  const [y, m, d] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (!validDay(y, m, d)) return null;
  return `${String(y)}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
