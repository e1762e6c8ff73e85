import type { CheckoutView, EventView, HoldView, OrderView, QueueView } from './api-types';
import type { Buyer, Shop, State } from './machine';

/** Plain data for the widget's unit tests (no DOM, no network). */

export function eventView(overrides: Partial<EventView> = {}): EventView {
  return {
    id: 'evt_1',
    slug: 'night-owls-live',
    title: 'Night Owls Live',
    status: 'on_sale',
    currency: 'EUR',
    startsAt: '2027-03-01T19:00:00Z',
    timezone: 'Europe/Berlin',
    salesStartAt: null,
    maxPerOrder: 10,
    waitingRoom: { active: false },
    ticketTypes: [
      {
        id: 'tt_ga',
        name: 'General admission',
        priceMinor: 3900,
        status: 'available',
        available: 400,
      },
      { id: 'tt_vip', name: 'VIP', priceMinor: 9900, status: 'few_left', available: 3 },
    ],
    ...overrides,
  };
}

export function shop(quantities: Record<string, number> = {}, event = eventView()): Shop {
  return { event, quantities };
}

export const hold: HoldView = {
  holdId: 'hold_1',
  eventId: 'evt_1',
  expiresAt: '2027-01-01T12:10:00Z',
  items: [{ ticketTypeId: 'tt_ga', quantity: 2 }],
};

export function checkoutView(overrides: Partial<CheckoutView> = {}): CheckoutView {
  return {
    orderId: 'ord_1',
    orderToken: 'tok',
    status: 'pending_payment',
    totalMinor: 7800,
    currency: 'EUR',
    expiresAt: '2027-01-01T12:25:00Z',
    orderUrl: 'https://t.example/orders/ord_1?token=tok',
    payment: { provider: 'sandbox', paymentId: 'pay_1' },
    ...overrides,
  };
}

export function orderView(status: string, overrides: Partial<OrderView> = {}): OrderView {
  return {
    id: 'ord_1',
    status,
    totalMinor: 7800,
    currency: 'EUR',
    tickets:
      status === 'paid'
        ? [
            {
              id: 'tkt_1',
              ticketTypeId: 'tt_ga',
              qrSvgUrl: 'https://t/qr1.svg',
              url: 'https://t/1',
            },
          ]
        : [],
    ...overrides,
  };
}

export function queueView(overrides: Partial<QueueView> = {}): QueueView {
  return {
    queueToken: 'q1',
    state: 'waiting',
    phase: 'queue',
    position: 40,
    peopleAhead: 39,
    etaSeconds: 120,
    pollAfterSeconds: 5,
    progress: 0.2,
    ...overrides,
  };
}

/** The details step with two GA tickets held. */
export function detailsState(buyer: Buyer | null = null): Extract<State, { name: 'details' }> {
  return { name: 'details', shop: shop({ tt_ga: 2 }), hold, idempotencyKey: 'key-1', buyer };
}

export function payingState(
  outcome: 'succeed' | 'fail' | null = null,
): Extract<State, { name: 'paying' }> {
  return {
    name: 'paying',
    shop: shop({ tt_ga: 2 }),
    hold,
    idempotencyKey: 'key-1',
    order: checkoutView(),
    outcome,
  };
}
