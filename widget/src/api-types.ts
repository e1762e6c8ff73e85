/** The storefront API's answers as the widget reads them (API.md "Storefront API"). */

export type AvailabilityStatus = 'available' | 'few_left' | 'sold_out' | 'not_on_sale';

export interface TicketTypeView {
  id: string;
  name: string;
  priceMinor: number;
  status: AvailabilityStatus;
  available: number;
}

export interface EventView {
  id: string;
  slug: string;
  title: string;
  status: string;
  currency: string;
  startsAt: string;
  timezone: string;
  salesStartAt?: string | null;
  maxPerOrder?: number;
  waitingRoom?: { active: boolean };
  ticketTypes: TicketTypeView[];
  /** A test-mode event: its tickets are TEST tickets, paid with no real money. */
  testMode?: boolean;
}

export interface HoldItem {
  ticketTypeId: string;
  quantity: number;
}

export interface HoldView {
  holdId: string;
  eventId: string;
  expiresAt: string;
  items: HoldItem[];
}

export interface QueueView {
  queueToken: string;
  state: 'waiting' | 'admitted';
  phase?: 'off' | 'pre_queue' | 'queue';
  /** Null in the pre-queue (no draw yet). */
  position: number | null;
  peopleAhead?: number | null;
  etaSeconds: number;
  pollAfterSeconds: number;
  /** 0..1 of the way from joining to the front. */
  progress?: number;
  admissionToken?: string;
}

export interface CheckoutView {
  orderId: string;
  orderToken: string;
  status: string;
  totalMinor: number;
  currency: string;
  expiresAt?: string;
  orderUrl?: string;
  payment: {
    provider: 'sandbox' | 'stripe' | string;
    paymentId: string;
    clientSecret?: string;
    /** Stripe: what Stripe.js is started with. */
    publishableKey?: string;
    /** Development only: a local stand-in for Stripe.js. */
    stripeJsUrl?: string;
    redirectUrl?: string;
  } | null;
}

export interface TicketView {
  id: string;
  ticketTypeId: string;
  ticketTypeName?: string;
  qrSvgUrl: string;
  url: string;
}

export interface OrderView {
  id: string;
  status: string;
  totalMinor: number;
  currency: string;
  orderPageUrl?: string;
  tickets: TicketView[];
  /** A test-mode order: the widget marks its tickets TEST. */
  testMode?: boolean;
}
