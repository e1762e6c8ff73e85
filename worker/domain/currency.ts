/**
 * Currency exponents: how many minor units make a major unit (ISO 4217, as Stripe counts
 * them). One table for prices typed by organizers, amounts sent to Stripe and display.
 */

/** Zero-decimal currencies (¥100 is `100`). ISK and HUF: see `STRIPE_WHOLE_UNITS_ONLY`. */
const ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'ISK',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);

/** Three-decimal currencies (1.000 KWD is `1000`). */
const THREE_DECIMAL = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

/**
 * Stripe takes these in two-decimal minor units but only whole major units for some
 * operations (payouts in HUF, charges in ISK as a zero-decimal currency): prices in them
 * must be whole numbers.
 */
const WHOLE_UNITS_ONLY = new Set(['HUF', 'ISK', 'TWD', 'UGX']);

/**
 * Zero-decimal here (and in ISO 4217 practice) but sent to Stripe as two-decimal amounts whose
 * last two digits are 00, for Stripe's backwards compatibility: 500 ISK is `50000` at Stripe.
 * Every other currency's minor units are Stripe's as they are (JPY `500` is ¥500, HUF and
 * TWD are two-decimal both here and there, whole units enforced by `wholeUnitsOnly`).
 */
const STRIPE_TWO_DECIMAL = new Set(['ISK', 'UGX']);

export function currencyExponent(currency: string): 0 | 2 | 3 {
  if (ZERO_DECIMAL.has(currency)) return 0;
  if (THREE_DECIMAL.has(currency)) return 3;
  return 2;
}

/** True when prices in `currency` must be whole major units. */
export function wholeUnitsOnly(currency: string): boolean {
  return WHOLE_UNITS_ONLY.has(currency);
}

/** Minor units as a plain decimal for a form field: 3900 EUR -> "39.00", 500 JPY -> "500". */
export function minorToDecimal(amountMinor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(amountMinor);
  const sign = amountMinor < 0 ? '-' : '';
  const digits = String(Math.abs(amountMinor)).padStart(exponent + 1, '0');
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

export type DecimalParse = { ok: true; minor: number } | { ok: false; message: string };

/**
 * A price as an organizer types it ("39", "39.5", "39.50", "1,250.00" is refused: one
 * decimal point, no grouping) into integer minor units, exactly, without floats.
 */
export function decimalToMinor(text: string, currency: string): DecimalParse {
  const exponent = currencyExponent(currency);
  const match = /^(\d{1,12})(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return { ok: false, message: 'Enter an amount such as 39.00' };
  const [, whole = '0', fraction = ''] = match;
  if (fraction.length > exponent) {
    return {
      ok: false,
      message:
        exponent === 0 ? `${currency} has no decimal places` : `At most ${exponent} decimal places`,
    };
  }
  const minor = Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  if (wholeUnitsOnly(currency) && minor % 10 ** exponent !== 0) {
    return { ok: false, message: `${currency} prices must be whole amounts` };
  }
  return { ok: true, minor };
}

/** An amount in Tessera's minor units as Stripe's API takes it (see `STRIPE_TWO_DECIMAL`). */
export function toStripeAmount(amountMinor: number, currency: string): number {
  return STRIPE_TWO_DECIMAL.has(currency.toUpperCase()) ? amountMinor * 100 : amountMinor;
}

/**
 * An amount Stripe reports, back in Tessera's minor units. A fraction (which Stripe never
 * sends for these currencies) stays visible as a non-integer, so it can never match an order.
 */
export function fromStripeAmount(stripeAmount: number, currency: string): number {
  return STRIPE_TWO_DECIMAL.has(currency.toUpperCase()) ? stripeAmount / 100 : stripeAmount;
}
