import type { CheckoutView, EventView, HoldView, OrderView, QueueView } from './api-types';

/** The states and events of the widget's purchase flow (machine.ts). */

/** What a buyer can be told went wrong; each has words and a way forward in i18n.ts. */
export type ErrorKind =
  | 'sold_out'
  | 'hold_expired'
  | 'payment_failed'
  | 'network'
  | 'not_found'
  | 'not_on_sale'
  | 'too_many'
  | 'in_use'
  | 'late_payment'
  | 'pending'
  | 'hold_limit'
  | 'rate_limited';

/** Failures an effect reports; some are handled without an error screen. */
export type FailureKind = ErrorKind | 'admission_required' | 'invalid' | 'bad_promo' | 'room_off';

/** The catalog and the buyer's choice so far. */
export interface Shop {
  event: EventView;
  /** ticketTypeId -> quantity chosen. */
  quantities: Record<string, number>;
  /** The waiting room's admission token (header `Tessera-Admission`), once admitted. */
  admission?: string;
  /** The promo code from the element's `promo` attribute, sent with the checkout. */
  promo?: string;
}

export interface QueueProgress {
  position: number | null;
  peopleAhead: number | null;
  etaSeconds: number;
  pollAfterSeconds: number;
  /** 0..1 */
  progress: number;
}

export interface Checkout {
  shop: Shop;
  hold: HoldView;
  /** One per hold, so a retried checkout never makes a second order. */
  idempotencyKey: string;
}

export type State =
  | {
      name: 'loading';
      admission?: string;
      /** After a refused hold: at most this many are left of a type, whatever a stale read says. */
      limits?: Record<string, number>;
    }
  | { name: 'ready'; shop: Shop; releaseHoldId?: string }
  | { name: 'queued'; shop: Shop; queue: QueueProgress | null; resume: 'choose' | 'hold' }
  | { name: 'holding'; shop: Shop }
  | (Checkout & { name: 'details'; buyer: Buyer | null; notice?: 'invalid' | 'promo' })
  | (Checkout & { name: 'paying'; order: CheckoutView; outcome: 'succeed' | 'fail' | null })
  | (Checkout & { name: 'confirming'; order: CheckoutView; attempt: number })
  | {
      name: 'confirmed';
      order: CheckoutView;
      tickets: OrderView['tickets'];
      orderUrl: string;
      /** A test-mode order: its tickets are shown marked TEST. */
      testMode?: boolean;
    }
  | { name: 'error'; kind: ErrorKind; resume?: State }
  | { name: 'sold_out'; shop: Shop }
  | { name: 'not_on_sale'; shop: Shop };

export interface Buyer {
  name: string;
  email: string;
}

export type Event =
  | { type: 'loaded'; event: EventView; promo?: string }
  | { type: 'failed'; kind: FailureKind; ticketTypeIds?: string[] }
  | { type: 'set_quantity'; ticketTypeId: string; quantity: number }
  | { type: 'choose' }
  | { type: 'queue_update'; queue: QueueView }
  | { type: 'hold_created'; hold: HoldView; idempotencyKey: string }
  | { type: 'release' }
  | { type: 'submit_details'; buyer: Buyer }
  | { type: 'checkout_done'; order: CheckoutView }
  | { type: 'pay'; outcome: 'succeed' | 'fail' }
  | { type: 'payment_sent'; status: 'succeeded' | 'failed' }
  | { type: 'order_polled'; order: OrderView }
  | { type: 'expired' }
  | { type: 'retry' }
  | { type: 'restart' };
