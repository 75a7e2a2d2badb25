// Building an Intl formatter costs about half a millisecond; a list of 50 rows built two per row on every render,
// which held the page long enough for a scanner's keys to be read as typing. One per locale and options.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();
function dateFormat(loc: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${loc} ${JSON.stringify(options)}`;
  let f = dateFormats.get(key);
  if (!f) dateFormats.set(key, (f = new Intl.DateTimeFormat(loc, options)));
  return f;
}
function numberFormat(loc: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${loc} ${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(loc, options)));
  return f;
}
/** The site's time zone: Japanese warehouses keep JST whatever the PC is set to. */
export const SITE_TIME_ZONE = 'Asia/Tokyo';

const locale = (language: string) => (language === 'ja' ? 'ja-JP' : 'en-US');

export function formatDateTime(iso: string, language: string, timeZone: string = SITE_TIME_ZONE): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dateFormat(locale(language), { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(d);
}

/** Month, day and time without the year: a review row's decision, which is recent, in a narrow column. */
export function formatShortDateTime(iso: string, language: string, timeZone: string = SITE_TIME_ZONE): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const day = dateFormat(locale(language), { month: 'numeric', day: 'numeric', timeZone }).format(d);
  const time = dateFormat(locale(language), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(d);
  return `${day} ${time}`;
}

export function formatTime(iso: string, language: string, timeZone: string = SITE_TIME_ZONE): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // Japanese reads 09:00; English reads 9:00 PM, as its dates already do ("07:00 PM" beside "2:00 PM" looked broken).
  return dateFormat(locale(language), { hour: language === 'ja' ? '2-digit' : 'numeric', minute: '2-digit', timeZone }).format(d);
}

export function formatNumber(n: number, language: string, maximumFractionDigits = 0): string {
  return numberFormat(locale(language), { maximumFractionDigits }).format(n);
}

export function formatYen(n: number, language: string): string {
  return numberFormat(locale(language), { style: 'currency', currency: 'JPY', maximumFractionDigits: 0 }).format(n);
}

/** "3 h 05 min" style ages, from minutes. */
export function ageParts(minutes: number): { days: number; hours: number; minutes: number } {
  return { days: Math.floor(minutes / 1440), hours: Math.floor((minutes % 1440) / 60), minutes: minutes % 60 };
}

/** Today in the site's time zone as YYYY-MM-DD. */
export function siteToday(now: Date = new Date(), timeZone: string = SITE_TIME_ZONE): string {
  return dateFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
