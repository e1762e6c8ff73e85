import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inventoryFor } from '../worker/catalog/inventory';
import { createDb } from '../worker/db/client';
import { findRefund } from '../worker/orders/refund-claims';
import { executeRefund } from '../worker/orders/refund-execution';
import { SandboxProvider } from '../worker/payments/sandbox';
import { reconcile } from '../worker/reconciliation/job';
import {
  type CreatedEvent,
  call,
  createOrganizer,
  createPublishedEvent,
  typeId,
  waitFor,
} from './support/api';
import { countRows } from './support/purchase';
import { ledger, paidOrder } from './support/refunds';

type Auth = Record<string, string>;

interface OrderDetail {
  status: string;
  refundedMinor: number;
  refundableMinor: number;
  tickets: { id: string; status: string; refundId: string | null }[];
  refunds: { id: string; state: string; amountMinor: number; ticketIds: string[] }[];
}

afterEach(() => {
  vi.restoreAllMocks();
});

async function setup() {
  const { auth } = await createOrganizer();
  const event = await createPublishedEvent(auth);
  return { auth, event, ...(await paidOrder(event)) };
}

const refundTickets = (auth: Auth, orderId: string, ticketIds: string[], headers: Auth = {}) =>
  call<{
    status: string;
    refundedMinor: number;
    refund: { id: string; state: string; amountMinor: number; ticketIds: string[] };
    code?: string;
  }>('POST', `/api/v1/organizer/orders/${orderId}/refund`, {
    headers: { ...auth, ...headers },
    body: { ticketIds },
  });

const detail = (auth: Auth, orderId: string) =>
  call<OrderDetail>('GET', `/api/v1/organizer/orders/${orderId}`, { headers: auth });

/** GA's sold count and availability in the event's object. */
async function gaCounts(event: CreatedEvent) {
  const snapshot = await inventoryFor(env, event.id).availability();
  const ga = snapshot?.ticketTypes.find((t) => t.id === typeId(event, 'ga'));
  return { sold: ga?.sold, available: ga?.available ?? -1 };
}

const checkIn = (auth: Auth, eventId: string, code: string) =>
  call<{ result: string }>('POST', '/api/v1/checkin', { headers: auth, body: { eventId, code } });

describe('refunds by ticket', () => {
  it('refunds one ticket for its price: refused at the door at once, the other ticket still works', async () => {
    const { auth, event, order, paid, paymentId } = await setup();
    const before = await gaCounts(event);
    const [first, second] = paid.tickets;
    const answer = await refundTickets(auth, order.orderId, [first?.id ?? '']);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: 'partially_refunded',
      refundedMinor: 3900,
      refund: { state: 'succeeded', amountMinor: 3900, ticketIds: [first?.id] },
    });
    expect(await ledger(order.orderId, paymentId)).toMatchObject({
      atProvider: 3900,
      recorded: 3900,
      providerRefunds: 1,
    });
    expect((await checkIn(auth, event.id, first?.code ?? '')).body.result).toBe('refunded');
    expect((await checkIn(auth, event.id, second?.code ?? '')).body.result).toBe('ok');

    const view = await detail(auth, order.orderId);
    expect(view.body.tickets.map((t) => t.status)).toEqual(['refunded', 'valid']);
    expect(view.body).toMatchObject({ refundableMinor: 3900, status: 'partially_refunded' });
    // The buyer's ticket page says so, and its PDF is not printed any more.
    const links = first as unknown as { url: string; pdfUrl: string };
    const page = await call<string>('GET', new URL(links.url).pathname + new URL(links.url).search);
    expect(page.body).toContain('This ticket was refunded');
    const pdf = await call('GET', new URL(links.pdfUrl).pathname + new URL(links.pdfUrl).search);
    expect(pdf.status).toBe(409);
    // Its place is back on sale at once; the other ticket's stays sold.
    expect(await gaCounts(event)).toEqual({ sold: 1, available: before.available + 1 });
  });

  it('frees the place once however often it is settled; a later full refund frees only the rest', async () => {
    const { auth, event, order, paid } = await setup();
    const before = await gaCounts(event);
    const [first] = paid.tickets;
    expect((await refundTickets(auth, order.orderId, [first?.id ?? ''])).status).toBe(200);
    // The sweep and the webhook settle the same refund again: the follow-up runs again.
    const db = createDb(env.DB);
    const [listed] = (await detail(auth, order.orderId)).body.refunds;
    const claim = await findRefund(db, listed?.id ?? '');
    if (!claim) throw new Error('the refund was not recorded');
    await Promise.all(Array.from({ length: 4 }, () => executeRefund(env, db, claim)));
    expect(await gaCounts(event)).toEqual({ sold: 1, available: before.available + 1 });

    const full = await call('POST', `/api/v1/organizer/orders/${order.orderId}/refund`, {
      headers: auth,
    });
    expect(full.status).toBe(200);
    expect(await gaCounts(event)).toEqual({ sold: 0, available: before.available + 2 });
  });

  it('reconciliation then finds D1 and the event object agreeing: no ticket_count_drift', async () => {
    const { auth, event, order, paid } = await setup();
    expect((await refundTickets(auth, order.orderId, [paid.tickets[0]?.id ?? ''])).status).toBe(
      200,
    );
    await reconcile(env, { fromMs: Date.now() - 3_600_000, toMs: Date.now() + 60_000 });
    expect(
      await countRows(
        "SELECT COUNT(*) AS n FROM reconciliation_differences WHERE kind = 'ticket_count_drift' AND event_id = ?",
        event.id,
      ),
    ).toBe(0);
  });

  it('eight concurrent refunds of the same ticket refund it once', async () => {
    const { auth, order, paid, paymentId } = await setup();
    const ticketId = paid.tickets[0]?.id ?? '';
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => refundTickets(auth, order.orderId, [ticketId])),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    for (const refused of answers.filter((a) => a.status !== 200)) {
      expect([refused.status, refused.body.code]).toEqual([409, 'ticket_already_refunded']);
    }
    expect(await ledger(order.orderId, paymentId)).toMatchObject({
      atProvider: 3900,
      recorded: 3900,
      providerRefunds: 1,
      pendingClaims: 0,
    });
  });

  it('a ticket refund racing a full refund: together exactly what was paid', async () => {
    for (let round = 0; round < 3; round++) {
      const { auth, event, order, paid, paymentId } = await setup();
      const [byTicket, full] = await Promise.all([
        refundTickets(auth, order.orderId, [paid.tickets[1]?.id ?? '']),
        call('POST', `/api/v1/organizer/orders/${order.orderId}/refund`, { headers: auth }),
      ]);
      expect([byTicket.status, full.status]).toContain(200);
      const money = await ledger(order.orderId, paymentId);
      expect(money).toMatchObject({ atProvider: 7800, recorded: 7800, status: 'refunded' });
      const snapshot = await inventoryFor(env, event.id).availability();
      expect(snapshot?.ticketTypes.find((t) => t.id === typeId(event, 'ga'))?.sold).toBe(0);
    }
  });

  it('the last ticket refunded makes the order refunded and puts its places back on sale', async () => {
    const { auth, event, order, paid, paymentId } = await setup();
    for (const ticket of paid.tickets) {
      expect((await refundTickets(auth, order.orderId, [ticket.id])).status).toBe(200);
    }
    expect(await ledger(order.orderId, paymentId)).toMatchObject({
      atProvider: 7800,
      recorded: 7800,
      providerRefunds: 2,
      status: 'refunded',
    });
    const snapshot = await inventoryFor(env, event.id).availability();
    expect(snapshot?.ticketTypes.find((t) => t.id === typeId(event, 'ga'))?.sold).toBe(0);
  });

  it('a declined ticket refund gives the ticket back: it can be refunded again', async () => {
    const { auth, event, order, paid, paymentId } = await setup();
    const ticketId = paid.tickets[0]?.id ?? '';
    const { RefundDeclined } = await import('../worker/payments/provider');
    vi.spyOn(SandboxProvider.prototype, 'refund').mockRejectedValueOnce(
      new RefundDeclined('Sandbox: declined for the test.'),
    );
    const before = await gaCounts(event);
    const declined = await refundTickets(auth, order.orderId, [ticketId]);
    expect(declined.status).toBe(502);
    expect(await gaCounts(event)).toEqual(before);
    expect((await detail(auth, order.orderId)).body.tickets[0]).toMatchObject({
      status: 'valid',
      refundId: null,
    });
    expect((await refundTickets(auth, order.orderId, [ticketId])).status).toBe(200);
    expect(await ledger(order.orderId, paymentId)).toMatchObject({ atProvider: 3900 });
  });

  it('the same Idempotency-Key answers the same ticket refund; other tickets with it are refused', async () => {
    const { auth, order, paid, paymentId } = await setup();
    const key = { 'idempotency-key': 'ticket-click-1' };
    const [a, b] = paid.tickets.map((t) => t.id);
    const answers = await Promise.all([
      refundTickets(auth, order.orderId, [a ?? ''], key),
      refundTickets(auth, order.orderId, [a ?? ''], key),
    ]);
    expect(answers.map((x) => x.status)).toEqual([200, 200]);
    expect(answers[0]?.body.refund.id).toBe(answers[1]?.body.refund.id);
    const reused = await refundTickets(auth, order.orderId, [b ?? ''], key);
    expect([reused.status, reused.body.code]).toEqual([422, 'idempotency_key_reused']);
    expect(await ledger(order.orderId, paymentId)).toMatchObject({ providerRefunds: 1 });
  });

  it('a ticket of another order is refused with 422 and nothing is claimed', async () => {
    const { auth, event, order } = await setup();
    const other = await paidOrder(event);
    const refused = await refundTickets(auth, order.orderId, [other.paid.tickets[0]?.id ?? '']);
    expect([refused.status, refused.body.code]).toEqual([422, 'validation_failed']);
    expect(
      await countRows('SELECT COUNT(*) AS n FROM refunds WHERE order_id = ?', order.orderId),
    ).toBe(0);
  });

  it('mails the buyer once per refund, naming the refunded ticket', async () => {
    const { auth, order, paid } = await setup();
    const answer = await refundTickets(auth, order.orderId, [paid.tickets[0]?.id ?? '']);
    const key = `refund_issued:${answer.body.refund.id}`;
    const mail = await waitFor(() =>
      env.DB.prepare('SELECT subject, text FROM mail_outbox WHERE message_key = ?')
        .bind(key)
        .first<{ subject: string; text: string }>()
        .then((row) => row ?? undefined),
    );
    expect(mail.subject).toMatch(/^Refund for .*: €39\.00$/);
    expect(mail.text).toContain('We have refunded €39.00');
    expect(mail.text).toContain('no longer work at the entrance');
    expect(mail.text).toContain('Your other tickets stay valid.');
    expect(
      await countRows(
        "SELECT COUNT(*) AS n FROM notification_outbox WHERE kind = 'refund_issued' AND order_id = ?",
        order.orderId,
      ),
    ).toBe(1);
  });
});
