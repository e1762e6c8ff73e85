import { type Lang, t } from './i18n';

/** Numbers, money and time for the buyer's language; pure, tested in Node. */

const LOCALES: Record<Lang, string> = { en: 'en', de: 'de-DE' };

/** Integer minor units as money, e.g. 7800 EUR -> "€78.00" (en) or "78,00 €" (de). */
export function formatMoney(minor: number, currency: string, lang: Lang): string {
  const format = new Intl.NumberFormat(LOCALES[lang], { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}

/** Money for people; zero reads "Free". */
export function formatPrice(minor: number, currency: string, lang: Lang): string {
  return minor === 0 ? t(lang, 'free') : formatMoney(minor, currency, lang);
}

/** A plain count, with the language's digit grouping ("1,234" / "1.234"). */
export function formatCount(value: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALES[lang]).format(value);
}

/** Time left as "m:ss" (never negative). */
export function formatCountdown(msLeft: number): string {
  const total = Math.max(0, Math.ceil(msLeft / 1000));
  const minutes = Math.floor(total / 60);
  return `${minutes}:${String(total % 60).padStart(2, '0')}`;
}

/** Whole minutes started, for announcements once a minute ("9 minutes"). */
export function minutesLeft(msLeft: number): number {
  return Math.max(0, Math.ceil(msLeft / 60_000));
}

function unit(value: number, name: 'second' | 'minute' | 'hour', lang: Lang): string {
  return new Intl.NumberFormat(LOCALES[lang], {
    style: 'unit',
    unit: name,
    unitDisplay: 'long',
  }).format(value);
}

/** A wait in words: "45 seconds", "3 minutes", "2 hours" (rounded up, as people expect). */
export function formatDuration(seconds: number, lang: Lang): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return unit(s, 'second', lang);
  if (s < 5400) return unit(Math.ceil(s / 60), 'minute', lang);
  return unit(Math.ceil(s / 3600), 'hour', lang);
}

/** A minute count in words, for the countdown's live announcement. */
export function formatMinutes(minutes: number, lang: Lang): string {
  return unit(minutes, 'minute', lang);
}

/** A date and time in the event's time zone, which it names ("June 1, 2029 at 10:00 AM GMT+2"). */
export function formatDateTime(iso: string, timeZone: string, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone,
  }).format(new Date(iso));
}
