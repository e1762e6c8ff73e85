import { describe, expect, it } from 'vitest';
import { newId } from '../../worker/domain/ids';
import { roomEvent } from '../waiting-room/room-test-support';
import { holdIdOf, type InventoryStub } from './test-support';
import type { HoldItem, InventoryConfig } from './types';

/**
 * A ticket refunded on its own gives its place back to sale (`revokeTickets` with a release):
 * once per ticket however often it is asked, and a later refund of the whole order frees only
 * what is still sold. Shared quotas move with their types.
 */

const catalog = {
  ticketTypes: [
    { id: 'tt_ga', capacity: 10 },
    { id: 'tt_vip', capacity: 5 },
  ],
  quotas: [{ id: 'quo_venue', size: 12, ticketTypeIds: ['tt_ga', 'tt_vip'] }],
} satisfies Partial<InventoryConfig>;

async function venue() {
  return roomEvent({ mode: 'off' }, catalog);
}

/** A paid order of these items; its tickets are named `<order>_<n>` with their types. */
async function paidOrder(stub: InventoryStub, items: HoldItem[]) {
  const holdId = holdIdOf(await stub.hold(items));
  const orderId = newId('ord');
  expect((await stub.confirmOrder(orderId, holdId, items)).ok).toBe(true);
  const tickets = items.flatMap(({ ticketTypeId, quantity }) =>
    Array.from({ length: quantity }, () => ({ ticketId: newId('tkt'), ticketTypeId })),
  );
  return { orderId, tickets };
}

async function counts(stub: InventoryStub) {
  const snapshot = await stub.availability();
  const type = (id: string) => snapshot?.ticketTypes.find((t) => t.id === id);
  return {
    ga: { sold: type('tt_ga')?.sold, available: type('tt_ga')?.available },
    vip: { sold: type('tt_vip')?.sold, available: type('tt_vip')?.available },
    venue: { sold: snapshot?.quotas[0]?.sold, available: snapshot?.quotas[0]?.available },
  };
}

describe('a ticket refunded on its own', () => {
  it('puts exactly its place back on sale, in its type and its shared quota', async () => {
    const { stub } = await venue();
    const order = await paidOrder(stub, [
      { ticketTypeId: 'tt_ga', quantity: 3 },
      { ticketTypeId: 'tt_vip', quantity: 2 },
    ]);
    expect(await counts(stub)).toEqual({
      ga: { sold: 3, available: 7 },
      vip: { sold: 2, available: 3 },
      venue: { sold: 5, available: 7 },
    });
    const [ga, , , vip] = order.tickets;
    const refunded = [ga, vip].flatMap((t) => (t ? [t] : []));
    const answer = await stub.revokeTickets(
      refunded.map((t) => t.ticketId),
      { orderId: order.orderId, tickets: refunded },
    );
    expect(answer).toEqual({ revoked: 2, released: 2 });
    expect(await counts(stub)).toEqual({
      ga: { sold: 2, available: 8 },
      vip: { sold: 1, available: 4 },
      venue: { sold: 3, available: 9 },
    });
  });

  it('repeated and concurrent calls free each place once', async () => {
    const { stub } = await venue();
    const order = await paidOrder(stub, [{ ticketTypeId: 'tt_ga', quantity: 3 }]);
    const first = order.tickets.slice(0, 1);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        stub.revokeTickets(
          first.map((t) => t.ticketId),
          { orderId: order.orderId, tickets: first },
        ),
      ),
    );
    expect(answers.reduce((sum, a) => sum + a.released, 0)).toBe(1);
    // A redelivery later, and the same ticket named twice in one call.
    const again = await stub.revokeTickets([first[0]?.ticketId ?? ''], {
      orderId: order.orderId,
      tickets: [...first, ...first],
    });
    expect(again).toEqual({ revoked: 0, released: 0 });
    expect((await counts(stub)).ga).toEqual({ sold: 2, available: 8 });
  });

  it('a later refund of the whole order frees only the rest: sold ends at 0', async () => {
    const { stub } = await venue();
    const order = await paidOrder(stub, [
      { ticketTypeId: 'tt_ga', quantity: 2 },
      { ticketTypeId: 'tt_vip', quantity: 1 },
    ]);
    const vip = order.tickets.filter((t) => t.ticketTypeId === 'tt_vip');
    await stub.revokeTickets(
      vip.map((t) => t.ticketId),
      { orderId: order.orderId, tickets: vip },
    );
    const allIds = order.tickets.map((t) => t.ticketId);
    expect(await stub.refundOrder(order.orderId, allIds)).toEqual({ released: true });
    expect(await counts(stub)).toEqual({
      ga: { sold: 0, available: 10 },
      vip: { sold: 0, available: 5 },
      venue: { sold: 0, available: 12 },
    });
    // Neither a late release nor a second full refund goes below zero.
    const ga = order.tickets.filter((t) => t.ticketTypeId === 'tt_ga');
    expect(
      await stub.revokeTickets(
        ga.map((t) => t.ticketId),
        { orderId: order.orderId, tickets: ga },
      ),
    ).toEqual({ revoked: 0, released: 0 });
    expect(await stub.refundOrder(order.orderId, allIds)).toEqual({ released: false });
    expect((await counts(stub)).venue).toEqual({ sold: 0, available: 12 });
  });

  it('never frees more of a type than the order sold, nor for an order it never sold', async () => {
    const { stub } = await venue();
    const other = await paidOrder(stub, [{ ticketTypeId: 'tt_ga', quantity: 4 }]);
    const order = await paidOrder(stub, [{ ticketTypeId: 'tt_ga', quantity: 1 }]);
    const strangers = Array.from({ length: 3 }, () => ({
      ticketId: newId('tkt'),
      ticketTypeId: 'tt_ga',
    }));
    const wrongType = { ticketId: newId('tkt'), ticketTypeId: 'tt_vip' };
    const tooMany = [...strangers, wrongType];
    const answer = await stub.revokeTickets(
      tooMany.map((t) => t.ticketId),
      { orderId: order.orderId, tickets: tooMany },
    );
    expect(answer).toEqual({ revoked: 4, released: 1 });
    const unsold = await stub.revokeTickets([newId('tkt')], {
      orderId: newId('ord'),
      tickets: [{ ticketId: newId('tkt'), ticketTypeId: 'tt_ga' }],
    });
    expect(unsold.released).toBe(0);
    expect((await counts(stub)).ga).toEqual({ sold: 4, available: 6 });
    expect(other.tickets).toHaveLength(4);
  });

  it('without a release (an older Worker) the place stays sold until the order is refunded', async () => {
    const { stub } = await venue();
    const order = await paidOrder(stub, [{ ticketTypeId: 'tt_ga', quantity: 2 }]);
    const one = order.tickets[0]?.ticketId ?? '';
    expect(await stub.revokeTickets([one])).toEqual({ revoked: 1, released: 0 });
    expect((await counts(stub)).ga).toEqual({ sold: 2, available: 8 });
    // The same ticket released afterwards (the Worker's follow-up run again) frees it then.
    const released = await stub.revokeTickets([one], {
      orderId: order.orderId,
      tickets: order.tickets.slice(0, 1),
    });
    expect(released).toEqual({ revoked: 0, released: 1 });
    await stub.refundOrder(
      order.orderId,
      order.tickets.map((t) => t.ticketId),
    );
    expect((await counts(stub)).ga).toEqual({ sold: 0, available: 10 });
  });
});
