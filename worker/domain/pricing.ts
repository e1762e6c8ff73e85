import { currencyExponent } from './currency';

/** Pricing is pure: the same hold and catalog always give the same total. Integer minor units. */

/**
 * The most one payment may be, in minor units: Stripe's limit (99,999,999, e.g. EUR
 * 999,999.99). A ticket price and an order total above it could never be paid.
 */
export const MAX_PAYMENT_MINOR = 99_999_999;

export interface PriceableType {
  id: string;
  name: string;
  priceMinor: number;
}

export interface PricedLine {
  ticketTypeId: string;
  name: string;
  quantity: number;
  unitPriceMinor: number;
  lineTotalMinor: number;
}

export interface PricedOrder {
  lines: PricedLine[];
  totalMinor: number;
}

export class UnpriceableItemError extends Error {}

export function priceItems(
  items: { ticketTypeId: string; quantity: number }[],
  types: PriceableType[],
): PricedOrder {
  const byId = new Map(types.map((t) => [t.id, t]));
  const lines = items.map(({ ticketTypeId, quantity }) => {
    const type = byId.get(ticketTypeId);
    if (!type) throw new UnpriceableItemError(`No price for ticket type ${ticketTypeId}`);
    if (!Number.isSafeInteger(quantity) || quantity <= 0)
      throw new UnpriceableItemError(`Bad quantity ${quantity}`);
    return {
      ticketTypeId,
      name: type.name,
      quantity,
      unitPriceMinor: type.priceMinor,
      lineTotalMinor: type.priceMinor * quantity,
    };
  });
  const totalMinor = lines.reduce((sum, line) => sum + line.lineTotalMinor, 0);
  if (!Number.isSafeInteger(totalMinor)) throw new UnpriceableItemError('Total out of range');
  return { lines, totalMinor };
}

/** Formats minor units for people, in the event's currency and a locale. */
export function formatMoney(amountMinor: number, currency: string, locale = 'en'): string {
  const digits = currencyExponent(currency);
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return format.format(amountMinor / 10 ** digits);
}
