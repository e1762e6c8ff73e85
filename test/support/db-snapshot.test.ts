import { env, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { inventoryFor } from '../../worker/catalog/inventory';
import { type CreatedEvent, call, createOrganizer, createPublishedEvent, typeId } from './api';
import { purchase, settledSnapshot } from './db-snapshot';

/**
 * The "nothing written" snapshot must be able to fail: each write below is one a buggy
 * request could make, and each must show up as a difference.
 */

let event: CreatedEvent;

beforeAll(async () => {
  const { auth } = await createOrganizer();
  event = await createPublishedEvent(auth);
});

function writeInObject(statement: string, ...params: SqlStorageValue[]): Promise<void> {
  return runInDurableObject(inventoryFor(env, event.id), (_instance, state) => {
    state.storage.sql.exec(statement, ...params);
  });
}

describe('the "nothing written" snapshot', () => {
  it('sees a row written in any table of the event object, even one availability hides', async () => {
    const before = await settledSnapshot([event.id]);
    await writeInObject(
      'INSERT INTO revoked_tickets (ticket_id, revoked_ms) VALUES (?, ?)',
      'tkt_x',
      1,
    );
    const after = await settledSnapshot([event.id]);
    expect(after).not.toEqual(before);
    expect(after.eventObjects.watched[event.id]?.revoked_tickets).toEqual([
      JSON.stringify({ ticket_id: 'tkt_x', revoked_ms: 1 }),
    ]);
  });

  it('sees a changed setting of the event object', async () => {
    const before = await settledSnapshot([event.id]);
    await writeInObject('UPDATE settings SET max_per_order = max_per_order + 1');
    expect(await settledSnapshot([event.id])).not.toEqual(before);
  });

  it("ignores only the room's named clock columns", async () => {
    const before = await settledSnapshot([event.id]);
    await writeInObject('UPDATE room SET credit = credit + 0.5, last_tick_ms = ?', Date.now());
    expect(await settledSnapshot([event.id])).toEqual(before);
    await writeInObject('UPDATE room SET joined = joined + 1');
    expect(await settledSnapshot([event.id])).not.toEqual(before);
  });

  it('sees an object that was given a table, watched or not', async () => {
    const before = await settledSnapshot([event.id]);
    await runInDurableObject(inventoryFor(env, 'evt_unwatched'), (_instance, state) => {
      state.storage.sql.exec('CREATE TABLE stray (id INTEGER)');
    });
    const after = await settledSnapshot([event.id]);
    expect(after.eventObjects.withTables).toHaveLength(before.eventObjects.withTables.length + 1);
    expect(after).not.toEqual(before);
  });

  it('does not count an object that was only called (a guessed event id) as written', async () => {
    const before = await settledSnapshot([event.id]);
    expect(await inventoryFor(env, 'evt_guessed').availability()).toBeNull();
    expect(await settledSnapshot([event.id])).toEqual(before);
  });

  it('sees a D1 row', async () => {
    const before = await settledSnapshot();
    await env.DB.prepare('UPDATE events SET title = title || ? WHERE id = ?')
      .bind('!', event.id)
      .run();
    expect(await settledSnapshot()).not.toEqual(before);
  });

  it('sees a message sent on a queue, before its consumer has done anything', async () => {
    const before = await settledSnapshot([event.id]);
    // A message for an event nobody recorded: its consumer acks it and writes nothing.
    await env.PAYMENTS.send({ paymentEventId: 'pe_none' });
    const after = await settledSnapshot([event.id]);
    expect(after.d1).toEqual(before.d1);
    expect(after.queued.slice(before.queued.length)).toEqual([
      'PAYMENTS {"paymentEventId":"pe_none"}',
    ]);
    expect(after).not.toEqual(before);
  });

  it("waits for the queues' consumers: a payment sent just before is already in the snapshot", async () => {
    const order = await purchase(event, typeId(event, 'ga'), 1, { pay: false });
    const paid = await call('POST', `/sandbox/pay/${order.paymentId}`, {
      body: { outcome: 'succeed' },
    });
    expect(paid.status).toBe(202);
    // Webhook -> PAYMENTS (batch timeout 1 s) -> paid -> NOTIFICATIONS (2 s) -> mail sent.
    const settled = await settledSnapshot([event.id]);
    const orderRow = settled.d1.orders?.find((row) => row.includes(order.orderId));
    expect(orderRow).toContain('"status":"paid"');
    expect(settled.d1.notification_deliveries?.join('\n')).toContain(
      `order_confirmation:${order.orderId}`,
    );
    expect(settled.eventObjects.watched[event.id]?.sales?.join('\n')).toContain(order.orderId);
  });
});
