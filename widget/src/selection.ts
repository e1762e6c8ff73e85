import type { AvailabilityStatus, EventView, HoldItem, TicketTypeView } from './api-types';

/** Quantity rules for the ticket list; pure, shared by the machine and the view. */

/** Used when the event does not say how many tickets one order may hold. */
export const DEFAULT_MAX_PER_ORDER = 10;

interface Selection {
  event: EventView;
  quantities: Record<string, number>;
}

export function isBuyable(type: TicketTypeView): boolean {
  return type.status === 'available' || type.status === 'few_left';
}

export function maxPerOrder(event: EventView): number {
  return event.maxPerOrder && event.maxPerOrder > 0 ? event.maxPerOrder : DEFAULT_MAX_PER_ORDER;
}

export function totalQuantity(selection: Selection): number {
  return Object.values(selection.quantities).reduce((sum, n) => sum + n, 0);
}

/** The most of one type the buyer may choose, given what is left and the other types chosen. */
export function maxQuantity(selection: Selection, ticketTypeId: string): number {
  const type = selection.event.ticketTypes.find((t) => t.id === ticketTypeId);
  if (!type || !isBuyable(type)) return 0;
  const others = totalQuantity(selection) - (selection.quantities[ticketTypeId] ?? 0);
  return Math.max(0, Math.min(type.available, maxPerOrder(selection.event) - others));
}

export function clampQuantity(selection: Selection, ticketTypeId: string, wanted: number): number {
  const whole = Number.isFinite(wanted) ? Math.floor(wanted) : 0;
  return Math.max(0, Math.min(whole, maxQuantity(selection, ticketTypeId)));
}

/** The hold request's items, in catalog order, without zero lines. */
export function selectedItems(selection: Selection): HoldItem[] {
  return selection.event.ticketTypes
    .map((t) => ({ ticketTypeId: t.id, quantity: selection.quantities[t.id] ?? 0 }))
    .filter((item) => item.quantity > 0);
}

/** The price of what is chosen (or held), in minor units. */
export function itemsTotalMinor(event: EventView, items: HoldItem[]): number {
  const prices = new Map(event.ticketTypes.map((t) => [t.id, t.priceMinor]));
  return items.reduce((sum, item) => sum + (prices.get(item.ticketTypeId) ?? 0) * item.quantity, 0);
}

/** The catalog with at most `limits[id]` left of a type (a sold-out hold knows better than a stale read). */
export function applyLimits(event: EventView, limits: Record<string, number>): EventView {
  const ticketTypes = event.ticketTypes.map((type) => {
    const limit = limits[type.id];
    if (limit === undefined || type.available <= limit) return type;
    const available = Math.max(0, limit);
    const status: AvailabilityStatus =
      available === 0 && isBuyable(type) ? 'sold_out' : type.status;
    return { ...type, available, status };
  });
  return { ...event, ticketTypes };
}
