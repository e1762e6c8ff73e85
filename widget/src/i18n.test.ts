import { describe, expect, it } from 'vitest';
import { errorWords, messages, resolveLang, t } from './i18n';
import type { ErrorKind } from './machine';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n', () => {
  it('has every English key in German, non-empty and with the same placeholders', () => {
    const { en, de } = messages;
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en) as [keyof typeof en, string][]) {
      expect(de[key].trim(), key).not.toBe('');
      expect(placeholders(de[key]), key).toEqual(placeholders(text));
    }
  });

  it('words every error with a way forward, never a code', () => {
    const kinds: ErrorKind[] = [
      'sold_out',
      'hold_expired',
      'payment_failed',
      'network',
      'not_found',
      'not_on_sale',
      'too_many',
      'in_use',
      'late_payment',
      'pending',
    ];
    for (const lang of ['en', 'de'] as const) {
      for (const kind of kinds) {
        const { message, action } = errorWords(lang, kind);
        for (const words of [message, action]) {
          expect(words).not.toMatch(/^(err|act)_|\{/);
          expect(words).not.toContain(kind);
        }
      }
    }
    expect(errorWords('de', 'payment_failed').action).toBe('Erneut versuchen');
    expect(errorWords('en', 'sold_out').action).toBe('Refresh the list');
  });

  it('fills placeholders and picks the language from the element, then the page', () => {
    expect(t('en', 'add_one', { name: 'General admission' })).toBe('Add one General admission');
    expect(t('de', 'pay', { amount: '78,00 €' })).toBe('78,00 € bezahlen');
    expect(resolveLang('de', 'en')).toBe('de');
    expect(resolveLang(null, 'de-AT')).toBe('de');
    expect(resolveLang('', 'fr')).toBe('en');
    expect(resolveLang(null, '')).toBe('en');
  });
});
