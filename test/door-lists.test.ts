import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, createOrganizer, createPublishedEvent, typeId } from './support/api';
import { checkin, createList, lists, paidTickets } from './support/door';

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
const anHourAgo = () => new Date(Date.now() - 3_600_000).toISOString();

async function eventWithSales() {
  const { auth } = await createOrganizer();
  const event = await createPublishedEvent(auth);
  const ga = await paidTickets(event, 'ga', 2);
  const vip = await paidTickets(event, 'vip', 1);
  return { auth, event, ga: ga.tickets, vip: vip.tickets };
}

describe('check-in lists', () => {
  it('every event has its default "All tickets" entry list, with live counts', async () => {
    const { auth, event, ga } = await eventWithSales();
    const [first, ...rest] = await lists(auth, event.id);
    expect(rest).toEqual([]);
    expect(first).toMatchObject({
      name: 'All tickets',
      isDefault: true,
      direction: 'entry',
      checkedIn: 0,
      total: 3,
    });
    expect((await checkin(auth, { eventId: event.id, code: ga[0]?.code })).body.result).toBe('ok');
    expect((await lists(auth, event.id))[0]).toMatchObject({ checkedIn: 1, inside: 1, total: 3 });
    const stats = await call<{ checkedIn: number }>(
      'GET',
      `/api/v1/organizer/events/${event.id}/stats`,
      { headers: auth },
    );
    expect(stats.body.checkedIn).toBe(1);
  });

  it('a list of some ticket types refuses the others as not_on_list', async () => {
    const { auth, event, ga, vip } = await eventWithSales();
    const lounge = await createList(auth, event.id, {
      name: 'VIP lounge',
      ticketTypeIds: [typeId(event, 'vip')],
      gate: 'Lounge',
    });
    expect(lounge).toMatchObject({ total: 1, checkedIn: 0, direction: 'entry' });
    const refused = await checkin(auth, {
      eventId: event.id,
      code: ga[0]?.code,
      listId: lounge.id,
    });
    expect(refused.body).toMatchObject({ result: 'not_on_list', ticket: { id: ga[0]?.id } });
    const admitted = await checkin(auth, {
      eventId: event.id,
      code: vip[0]?.code,
      listId: lounge.id,
    });
    expect(admitted.body).toMatchObject({ result: 'ok', list: { id: lounge.id } });
  });

  it('a time window answers not_valid_yet before it and not_valid_anymore after it', async () => {
    const { auth, event, ga } = await eventWithSales();
    const later = await createList(auth, event.id, { name: 'Late entry', validFrom: inAnHour() });
    const earlier = await createList(auth, event.id, { name: 'Early', validUntil: anHourAgo() });
    const code = ga[0]?.code;
    expect((await checkin(auth, { eventId: event.id, code, listId: later.id })).body.result).toBe(
      'not_valid_yet',
    );
    expect((await checkin(auth, { eventId: event.id, code, listId: earlier.id })).body.result).toBe(
      'not_valid_anymore',
    );
    // Moving the window opens the list.
    const patched = await call(
      'PATCH',
      `/api/v1/organizer/events/${event.id}/checkin-lists/${later.id}`,
      { headers: auth, body: { validFrom: anHourAgo() } },
    );
    expect(patched.status).toBe(200);
    expect((await checkin(auth, { eventId: event.id, code, listId: later.id })).body.result).toBe(
      'ok',
    );
  });

  it('counts a ticket once per list however many lists it is on, and once per list however often scanned', async () => {
    const { auth, event, ga } = await eventWithSales();
    const hall = await createList(auth, event.id, { name: 'Hall' });
    const code = ga[0]?.code;
    for (const listId of [undefined, hall.id, undefined, hall.id]) {
      await checkin(auth, { eventId: event.id, code, ...(listId ? { listId } : {}) });
    }
    const again = await checkin(auth, { eventId: event.id, code, listId: hall.id, gate: 'North' });
    expect(again.body).toMatchObject({ result: 'already_checked_in', gate: null, device: null });
    const counts = Object.fromEntries((await lists(auth, event.id)).map((l) => [l.name, l]));
    expect(counts['All tickets']).toMatchObject({ checkedIn: 1, total: 3 });
    expect(counts.Hall).toMatchObject({ checkedIn: 1, total: 3 });
  });

  it('an exit list lets a ticket leave; it may then come in again, still counted once', async () => {
    const { auth, event, ga } = await eventWithSales();
    const exit = await createList(auth, event.id, { name: 'Way out', direction: 'exit' });
    const code = ga[0]?.code;
    const first = await checkin(auth, { eventId: event.id, code });
    expect(first.body).toMatchObject({ result: 'ok', reentry: false });
    expect((await checkin(auth, { eventId: event.id, code })).body.result).toBe(
      'already_checked_in',
    );
    const out = await checkin(auth, { eventId: event.id, code, listId: exit.id });
    expect(out.body).toMatchObject({ result: 'ok', list: { id: exit.id, direction: 'exit' } });
    expect((await lists(auth, event.id))[0]).toMatchObject({ checkedIn: 1, inside: 0 });
    const back = await checkin(auth, { eventId: event.id, code });
    expect(back.body).toMatchObject({ result: 'ok', reentry: true });
    expect((await checkin(auth, { eventId: event.id, code })).body.result).toBe(
      'already_checked_in',
    );
    const after = Object.fromEntries((await lists(auth, event.id)).map((l) => [l.name, l]));
    expect(after['All tickets']).toMatchObject({ checkedIn: 1, inside: 1 });
    expect(after['Way out']).toMatchObject({ checkedIn: 1, direction: 'exit' });
  });

  it('a refunded ticket is refused on entry, and the totals drop', async () => {
    const { auth, event } = await eventWithSales();
    const order = await paidTickets(event, 'ga', 1);
    expect((await lists(auth, event.id))[0]?.total).toBe(4);
    await call('POST', `/api/v1/organizer/orders/${order.orderId}/refund`, { headers: auth });
    const answer = await checkin(auth, { eventId: event.id, code: order.tickets[0]?.code });
    expect(answer.body.result).toBe('refunded');
    expect((await lists(auth, event.id))[0]?.total).toBe(3);
  });

  it('a canceled event answers canceled', async () => {
    const { auth, event, ga } = await eventWithSales();
    await env.DB.prepare("UPDATE events SET status = 'canceled' WHERE id = ?").bind(event.id).run();
    const answer = await checkin(auth, { eventId: event.id, code: ga[0]?.code });
    expect(answer.body.result).toBe('canceled');
  });

  it('the default list can be restricted but not deleted; other lists can be deleted', async () => {
    const { auth, event } = await eventWithSales();
    const [main] = await lists(auth, event.id);
    const base = `/api/v1/organizer/events/${event.id}/checkin-lists`;
    const renamed = await call('PATCH', `${base}/${main?.id}`, {
      headers: auth,
      body: { name: 'Main door', ticketTypeIds: [typeId(event, 'ga')] },
    });
    expect(renamed.body).toMatchObject({ name: 'Main door', isDefault: true, total: 2 });
    expect((await call('DELETE', `${base}/${main?.id}`, { headers: auth })).status).toBe(409);
    const extra = await createList(auth, event.id, { name: 'Side door' });
    expect((await call('DELETE', `${base}/${extra.id}`, { headers: auth })).status).toBe(204);
    expect((await lists(auth, event.id)).map((l) => l.name)).toEqual(['Main door']);
  });
});
