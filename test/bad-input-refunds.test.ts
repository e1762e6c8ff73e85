import Stripe from 'stripe';
import { newId } from '../worker/domain/ids';
import { call, typeId } from './support/api';
import {
  type Build,
  badInputTable,
  EVENTS,
  invalid,
  NOT_FOUND,
  ORDERS,
  PRODUCTION,
  problem,
  type Row,
  req,
  UNAUTHORIZED,
  type World,
} from './support/bad-input';
import { purchase } from './support/db-snapshot';
import { STRIPE_SETTINGS } from './support/stripe-fake';

/**
 * Bad input, refunds by ticket, the organizer's order view, cancel event with refunds and the
 * Stripe refund webhooks (harness: test/support/bad-input.ts): each refused as a problem,
 * with storage exactly as before.
 */

const refundTickets =
  (ticketIds: (w: World) => unknown, extra: Record<string, unknown> = {}): Build =>
  (w) =>
    req('POST', `${ORDERS}/${w.paid.orderId}/refund`, {
      body: { ticketIds: ticketIds(w), ...extra },
      headers: w.a,
    });
const ticket0 = (w: World) => w.paid.tickets[0]?.id ?? '';

/** An order of A's whose only ticket was refunded by ticket already. */
async function ticketRefunded(w: World): Promise<{ orderId: string; ticketId: string }> {
  const order = await purchase(w.event, typeId(w.event, 'ga'), 2);
  const ticketId = order.tickets[0]?.id ?? '';
  const first = await call('POST', `${ORDERS}/${order.orderId}/refund`, {
    headers: w.a,
    body: { ticketIds: [ticketId] },
  });
  if (first.status !== 200) throw new Error(`refund: ${first.status}`);
  return { orderId: order.orderId, ticketId };
}

const ticketRefundRows: Row[] = [
  ['ticketIds empty', invalid('ticketIds'), refundTickets(() => [])],
  ['ticketIds not a list', invalid('ticketIds'), refundTickets(() => 'tkt_1')],
  ['a ticket id not a string', invalid('ticketIds.0'), refundTickets(() => [42])],
  ['a ticket id too long', invalid('ticketIds.0'), refundTickets(() => ['t'.repeat(65)])],
  ['51 ticket ids', invalid('ticketIds'), refundTickets(() => Array(51).fill('tkt_x'))],
  ['the same ticket twice', invalid('ticketIds'), refundTickets((w) => [ticket0(w), ticket0(w)])],
  [
    'an amount and tickets together',
    invalid('ticketIds'),
    refundTickets((w) => [ticket0(w)], { amountMinor: 100 }),
  ],
  ['an unknown ticket', invalid('ticketIds.0'), refundTickets(() => [newId('tkt')])],
  [
    "a ticket of another of A's orders",
    invalid('ticketIds.0'),
    refundTickets((w) => [w.pending.tickets[0]?.id ?? newId('tkt')]),
  ],
  [
    "B refunding A's ticket",
    NOT_FOUND,
    (w) =>
      req('POST', `${ORDERS}/${w.paid.orderId}/refund`, {
        body: { ticketIds: [ticket0(w)] },
        headers: w.b,
      }),
  ],
  [
    'a ticket refunded already',
    problem(409, 'ticket_already_refunded'),
    async (w) => {
      const { orderId, ticketId } = await ticketRefunded(w);
      return req('POST', `${ORDERS}/${orderId}/refund`, {
        body: { ticketIds: [ticketId] },
        headers: w.a,
      });
    },
  ],
  [
    'a ticket of a pending order (it has none yet)',
    invalid('ticketIds.0'),
    (w) =>
      req('POST', `${ORDERS}/${w.pending.orderId}/refund`, {
        body: { ticketIds: [newId('tkt')] },
        headers: w.a,
      }),
  ],
];

const orderViewRows: Row[] = [
  ['no auth', UNAUTHORIZED, (w) => req('GET', `${ORDERS}/${w.paid.orderId}`)],
  ['unknown order', NOT_FOUND, (w) => req('GET', `${ORDERS}/${newId('ord')}`, { headers: w.a })],
  [
    "another workspace's order",
    NOT_FOUND,
    (w) => req('GET', `${ORDERS}/${w.paid.orderId}`, { headers: w.b }),
  ],
];

const cancellation = (path: string, method = 'POST') => `${method} ${EVENTS}/:id/${path}`;
const cancellationRows: Row[] = [
  ['start without auth', UNAUTHORIZED, (w) => req('POST', `${EVENTS}/${w.event.id}/cancellation`)],
  [
    "start on another workspace's event",
    NOT_FOUND,
    (w) => req('POST', `${EVENTS}/${w.bEvent.id}/cancellation`, { headers: w.a }),
  ],
  [
    'start on an unknown event',
    NOT_FOUND,
    (w) => req('POST', `${EVENTS}/${newId('evt')}/cancellation`, { headers: w.a }),
  ],
  [
    'progress of a run never started',
    NOT_FOUND,
    (w) => req('GET', `${EVENTS}/${w.event.id}/cancellation`, { headers: w.a }),
  ],
  [
    "progress of another workspace's run",
    NOT_FOUND,
    (w) => req('GET', `${EVENTS}/${w.bEvent.id}/cancellation`, { headers: w.a }),
  ],
  [
    'retry of a run never started',
    NOT_FOUND,
    (w) => req('POST', `${EVENTS}/${w.event.id}/cancellation/retry`, { headers: w.a }),
  ],
  [
    'retry without auth',
    UNAUTHORIZED,
    (w) => req('POST', `${EVENTS}/${w.event.id}/cancellation/retry`),
  ],
];

/** A refund webhook for A's paid order, signed with `secret`. */
const refundWebhook =
  (secret: string, object: (w: World) => Record<string, unknown>): Build =>
  async (w) => {
    const body = JSON.stringify({
      id: `evt_${crypto.randomUUID()}`,
      object: 'event',
      type: 'refund.failed',
      created: Math.floor(Date.now() / 1000),
      data: { object: object(w) },
    });
    const signature = await Stripe.webhooks.generateTestHeaderStringAsync({
      payload: body,
      secret,
      cryptoProvider: Stripe.createSubtleCryptoProvider(),
    });
    return {
      method: 'POST',
      path: '/api/v1/webhooks/stripe',
      raw: body,
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      settings: { ...PRODUCTION, ...STRIPE_SETTINGS },
    };
  };
const failedRefund = (w: World) => ({
  id: 're_3Tbad',
  object: 'refund',
  amount: 7800,
  currency: 'eur',
  status: 'failed',
  payment_intent: w.paid.paymentId,
  metadata: { orderId: w.paid.orderId },
});

const refundWebhookRows: Row[] = [
  [
    'signed with another secret',
    problem(400, 'invalid_signature'),
    refundWebhook('whsec_not_the_platform_secret_000000', failedRefund),
  ],
  [
    'no signature',
    problem(400, 'invalid_signature'),
    async (w) => {
      const request = await refundWebhook(STRIPE_SETTINGS.STRIPE_WEBHOOK_SECRET, failedRefund)(w);
      return { ...request, headers: { 'content-type': 'application/json' } };
    },
  ],
];

badInputTable([
  ['POST /organizer/orders/:id/refund {ticketIds}', ticketRefundRows],
  ['GET /organizer/orders/:id', orderViewRows],
  [cancellation('cancellation'), cancellationRows],
  ['POST /webhooks/stripe (refund events)', refundWebhookRows],
]);
