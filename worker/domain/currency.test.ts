import { describe, expect, it } from 'vitest';
import {
  currencyExponent,
  decimalToMinor,
  fromStripeAmount,
  minorToDecimal,
  toStripeAmount,
} from './currency';

describe('currency exponents', () => {
  it('knows zero-, two- and three-decimal currencies', () => {
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KRW')).toBe(0);
    expect(currencyExponent('EUR')).toBe(2);
    expect(currencyExponent('KWD')).toBe(3);
  });

  it('agrees with Intl on how many decimals each currency shows', () => {
    for (const code of ['EUR', 'USD', 'JPY', 'KRW', 'KWD', 'BHD', 'CHF', 'GBP', 'VND']) {
      const digits = new Intl.NumberFormat('en', {
        style: 'currency',
        currency: code,
      }).resolvedOptions().maximumFractionDigits;
      expect(currencyExponent(code), code).toBe(digits);
    }
  });

  it('writes minor units as a form value', () => {
    expect(minorToDecimal(3900, 'EUR')).toBe('39.00');
    expect(minorToDecimal(5, 'EUR')).toBe('0.05');
    expect(minorToDecimal(0, 'EUR')).toBe('0.00');
    expect(minorToDecimal(500, 'JPY')).toBe('500');
    expect(minorToDecimal(1250, 'KWD')).toBe('1.250');
  });

  it('reads what an organizer types, exactly', () => {
    expect(decimalToMinor('39', 'EUR')).toEqual({ ok: true, minor: 3900 });
    expect(decimalToMinor(' 39.5 ', 'EUR')).toEqual({ ok: true, minor: 3950 });
    expect(decimalToMinor('0.29', 'EUR')).toEqual({ ok: true, minor: 29 });
    expect(decimalToMinor('500', 'JPY')).toEqual({ ok: true, minor: 500 });
    expect(decimalToMinor('1.25', 'KWD')).toEqual({ ok: true, minor: 1250 });
    expect(decimalToMinor('1500', 'HUF')).toEqual({ ok: true, minor: 150000 });
  });

  it('refuses amounts it can not read exactly', () => {
    for (const [text, currency] of [
      ['39.999', 'EUR'],
      ['1.5', 'JPY'],
      ['-1', 'EUR'],
      ['1,250.00', 'EUR'],
      ['1e3', 'EUR'],
      ['', 'EUR'],
      ['1500.50', 'HUF'],
    ] as const) {
      expect(decimalToMinor(text, currency).ok, `${text} ${currency}`).toBe(false);
    }
  });
});

describe('Stripe amounts', () => {
  it('sends zero-decimal currencies as they are and ISK/UGX as two-decimal whole units', () => {
    expect(toStripeAmount(500, 'JPY')).toBe(500);
    expect(toStripeAmount(3900, 'EUR')).toBe(3900);
    expect(toStripeAmount(1500, 'KWD')).toBe(1500);
    expect(toStripeAmount(150000, 'HUF')).toBe(150000);
    expect(toStripeAmount(500, 'ISK')).toBe(50000);
    expect(toStripeAmount(500, 'UGX')).toBe(50000);
  });

  it('reads Stripe amounts back into the same minor units', () => {
    for (const [amount, currency] of [
      [500, 'JPY'],
      [3900, 'EUR'],
      [500, 'ISK'],
      [150000, 'HUF'],
    ] as const) {
      expect(fromStripeAmount(toStripeAmount(amount, currency), currency)).toBe(amount);
    }
    expect(fromStripeAmount(50001, 'isk')).not.toBe(500);
  });
});
