/** How a ticket type looks to buyers: a reason, not just a number (as in pretix). */
export type AvailabilityStatus = 'available' | 'few_left' | 'sold_out' | 'not_on_sale';

/** At or below this many left, buyers see "few left". */
export function fewLeftThreshold(capacity: number): number {
  return Math.max(5, Math.ceil(capacity * 0.1));
}

export interface SaleWindow {
  status: 'draft' | 'on_sale' | 'canceled';
  salesStartAt: string | null;
  salesEndAt: string | null;
}

export function isOnSale(window: SaleWindow, now: number): boolean {
  if (window.status !== 'on_sale') return false;
  if (window.salesStartAt && now < Date.parse(window.salesStartAt)) return false;
  if (window.salesEndAt && now >= Date.parse(window.salesEndAt)) return false;
  return true;
}

export function availabilityStatus(
  type: { capacity: number; available: number },
  onSale: boolean,
): AvailabilityStatus {
  if (!onSale) return 'not_on_sale';
  if (type.available <= 0) return 'sold_out';
  if (type.available <= fewLeftThreshold(type.capacity)) return 'few_left';
  return 'available';
}
