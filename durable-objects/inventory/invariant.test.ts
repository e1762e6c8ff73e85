import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newId } from '../../worker/domain/ids';
import { roomConfig, roomEvent } from '../waiting-room/room-test-support';
import { heldTicketCap } from './client-limits';
import type { SettingsRow } from './rows';
import { type InventoryStub, manualClock } from './test-support';
import type { HoldItem, InventoryConfig } from './types';

/**
 * `sold + held <= size` for every ticket type and quota, under random interleavings of every
 * path that moves a counter: holds, releases, checkouts, paid orders (converted, or re-reserved
 * after their hold lapsed), refunds (whole orders, or one ticket at a time), capacity changes
 * and expiry by the alarm. A seeded PRNG makes a failure reproducible: the message names the
 * seed and the step.
 */

const MINUTE = 60_000;
const TYPES = ['tt_a', 'tt_b', 'tt_c'] as const;
const CLIENTS = ['ip4:192.0.2.1', 'ip4:192.0.2.2', 'ip6:2001:db8:0:1::/64', undefined];
const STEPS = 300;

/** mulberry32: small, fast and the same sequence for the same seed everywhere. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T | undefined => list[int(0, list.length - 1)];
  return { next, int, pick };
}

function config(eventId: string, caps: { a: number; b: number; c: number; venue: number }) {
  return roomConfig(eventId, { mode: 'off' }, {
    holdMinutes: 10,
    maxPerOrder: 6,
    ticketTypes: [
      { id: 'tt_a', capacity: caps.a },
      { id: 'tt_b', capacity: caps.b },
      { id: 'tt_c', capacity: caps.c },
    ],
    // a and b share the venue; c stands alone.
    quotas: [{ id: 'quo_venue', size: caps.venue, ticketTypeIds: ['tt_a', 'tt_b'] }],
  } satisfies Partial<InventoryConfig>);
}

/** Recounts sold and held from the holds and sales tables and checks every counter and bound. */
async function checkInvariant(stub: InventoryStub): Promise<string[]> {
  return runInDurableObject(stub, (_instance, state) => {
    const sql = state.storage.sql;
    const problems: string[] = [];
    const held = new Map<string, number>();
    const sold = new Map<string, number>();
    const byClient = new Map<string, number>();
    const add = (map: Map<string, number>, items: string) => {
      for (const item of JSON.parse(items) as HoldItem[]) {
        map.set(item.ticketTypeId, (map.get(item.ticketTypeId) ?? 0) + item.quantity);
      }
    };
    for (const hold of sql.exec<{ items: string; client_key: string | null }>(
      "SELECT items, client_key FROM holds WHERE state = 'active'",
    )) {
      add(held, hold.items);
      if (hold.client_key === null) continue;
      const n = (JSON.parse(hold.items) as HoldItem[]).reduce((s, i) => s + i.quantity, 0);
      byClient.set(hold.client_key, (byClient.get(hold.client_key) ?? 0) + n);
    }
    for (const sale of sql.exec<{ items: string }>('SELECT items FROM sales WHERE refunded = 0')) {
      add(sold, sale.items);
    }
    // Tickets refunded one by one gave their places back (their sale still lists them).
    for (const { ticket_type_id } of sql.exec<{ ticket_type_id: string }>(
      'SELECT r.ticket_type_id FROM released_tickets r JOIN sales s ON s.order_id = r.order_id WHERE s.refunded = 0',
    )) {
      sold.set(ticket_type_id, (sold.get(ticket_type_id) ?? 0) - 1);
    }
    const types = sql
      .exec<{ id: string; capacity: number; sold: number; held: number }>(
        'SELECT id, capacity, sold, held FROM ticket_types',
      )
      .toArray();
    for (const t of types) {
      const [s, h] = [sold.get(t.id) ?? 0, held.get(t.id) ?? 0];
      if (t.sold !== s || t.held !== h)
        problems.push(`${t.id} counters ${t.sold}/${t.held}, rows ${s}/${h}`);
      if (s + h > t.capacity)
        problems.push(`${t.id}: sold ${s} + held ${h} > capacity ${t.capacity}`);
    }
    const quotas = sql
      .exec<{ id: string; size: number; sold: number; held: number }>('SELECT * FROM quotas')
      .toArray();
    for (const q of quotas) {
      const members = sql
        .exec<{ t: string }>(
          'SELECT ticket_type_id AS t FROM quota_members WHERE quota_id = ?',
          q.id,
        )
        .toArray()
        .map((m) => m.t);
      const s = members.reduce((sum, id) => sum + (sold.get(id) ?? 0), 0);
      const h = members.reduce((sum, id) => sum + (held.get(id) ?? 0), 0);
      if (q.sold !== s || q.held !== h)
        problems.push(`${q.id} counters ${q.sold}/${q.held}, rows ${s}/${h}`);
      if (s + h > q.size) problems.push(`${q.id}: sold ${s} + held ${h} > size ${q.size}`);
    }
    const settings = sql.exec<SettingsRow>('SELECT * FROM settings').one();
    for (const [client, n] of byClient) {
      if (n > heldTicketCap(settings)) problems.push(`${client} holds ${n} > cap`);
    }
    return problems;
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('sold + held <= size', () => {
  it.each([1, 2, 3])(
    'seed %i: holds after every step of a random interleaving of every path',
    async (seed) => {
      const clock = manualClock();
      const random = prng(seed);
      const { eventId, stub } = await roomEvent(
        { mode: 'off' },
        config(newId('evt'), { a: 12, b: 8, c: 6, venue: 16 }),
      );
      // roomEvent configured its own id; use the same shape for later capacity changes.
      const holds: string[] = [];
      const pending: { orderId: string; holdId: string; items: HoldItem[] }[] = [];
      const paid: string[] = [];
      const paidItems = new Map<string, HoldItem[]>();
      let lastTicket: string | undefined;
      const seen = new Set<string>();

      for (let step = 0; step < STEPS; step++) {
        const roll = random.next();
        let what: string;
        if (roll < 0.3) {
          const items = [
            { ticketTypeId: random.pick(TYPES) ?? 'tt_a', quantity: random.int(1, 4) },
          ];
          if (random.next() < 0.3)
            items.push({ ticketTypeId: random.pick(TYPES) ?? 'tt_b', quantity: random.int(1, 2) });
          const result = await stub.hold(items, undefined, random.pick(CLIENTS));
          if (result.ok) holds.push(result.hold.holdId);
          what = `hold ${JSON.stringify(items)} -> ${result.ok ? 'ok' : result.code}`;
        } else if (roll < 0.4) {
          const holdId = random.pick(holds);
          const result = holdId ? await stub.releaseHold(holdId) : null;
          what = `release -> ${result?.ok ?? 'none'}`;
        } else if (roll < 0.58) {
          // One of the latest holds: the older ones have mostly lapsed.
          const holdId = random.pick(holds.slice(-4));
          const view = holdId ? await stub.getHold(holdId) : null;
          if (holdId && view?.state === 'active' && !view.orderId) {
            const orderId = newId('ord');
            const result = await stub.beginCheckout(holdId, orderId, 5);
            if (result.ok) pending.push({ orderId, holdId, items: view.items });
            what = `checkout -> ${result.ok ? 'ok' : result.code}`;
          } else what = 'checkout: none';
        } else if (roll < 0.68) {
          // A payment arrives: on time (the hold converts) or late (re-reserve or refuse).
          const order = pending.splice(random.int(0, Math.max(0, pending.length - 1)), 1)[0];
          const result = order
            ? await stub.confirmOrder(order.orderId, order.holdId, order.items)
            : null;
          if (order && result?.ok) {
            paid.push(order.orderId);
            paidItems.set(order.orderId, order.items);
          }
          what = `pay -> ${result ? (result.ok ? result.outcome : result.code) : 'none'}`;
          if (result) seen.add(result.ok ? result.outcome : result.code);
        } else if (roll < 0.72) {
          const orderId = paid.splice(random.int(0, Math.max(0, paid.length - 1)), 1)[0];
          const result = orderId ? await stub.refundOrder(orderId, []) : null;
          what = `refund -> ${result?.released ?? 'none'}`;
        } else if (roll < 0.76) {
          // One ticket refunded on its own (sometimes a redelivery of the same one).
          const orderId = random.pick(paid);
          const type = random.pick(orderId ? (paidItems.get(orderId) ?? []) : [])?.ticketTypeId;
          const ticketId = random.next() < 0.3 && lastTicket ? lastTicket : newId('tkt');
          const result =
            orderId && type
              ? await stub.revokeTickets([ticketId], {
                  orderId,
                  tickets: [{ ticketId, ticketTypeId: type }],
                })
              : null;
          lastTicket = ticketId;
          what = `refund a ticket -> ${result?.released ?? 'none'}`;
          if (result?.released) seen.add('ticket_released');
        } else if (roll < 0.84) {
          const caps = {
            a: random.int(4, 16),
            b: random.int(2, 10),
            c: random.int(2, 8),
            venue: random.int(6, 20),
          };
          const result = await stub.configure(config(eventId, caps));
          what = `capacity ${JSON.stringify(caps)} -> ${result.ok ? 'ok' : result.code}`;
          if (result.ok) seen.add('capacity_changed');
        } else {
          clock.advance(random.int(1, 12) * MINUTE);
          const fired = await runDurableObjectAlarm(stub);
          what = `clock +, alarm ${fired}`;
        }
        const problems = await checkInvariant(stub);
        expect(problems, `seed ${seed}, step ${step} (${what})`).toEqual([]);
      }
      // The run went through the mixed paths, not only holds.
      expect([...seen].sort()).toEqual(
        expect.arrayContaining(['capacity_changed', 'converted', 're_reserved', 'ticket_released']),
      );
    },
  );
});
