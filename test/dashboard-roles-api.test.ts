import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../worker/access/roles';
import { createRoleKey } from './support/accounts';
import {
  type CreatedEvent,
  call,
  createOrganizer,
  createPublishedEvent,
  eventBody,
  typeId,
} from './support/api';
import { expectProblem, type Purchase, purchase } from './support/db-snapshot';

/**
 * The organizer API enforces the roles and event scopes of its key (worker/access/): every
 * key role x every API action, through the real routes. Allowed answers 2xx, a forbidden
 * action 403 `forbidden`, an event outside the key's scope 404 `not_found`.
 */

type Auth = Record<string, string>;
type ApiAction =
  | 'event.create'
  | 'event.read'
  | 'event.edit'
  | 'event.publish'
  | 'stats.read'
  | 'order.read'
  | 'order.refund'
  | 'checkin.scan';

const ALLOWED: Record<Exclude<Role, 'owner'>, ApiAction[]> = {
  admin: [
    'event.create',
    'event.read',
    'event.edit',
    'event.publish',
    'stats.read',
    'order.read',
    'order.refund',
    'checkin.scan',
  ],
  event_manager: [
    'event.create',
    'event.read',
    'event.edit',
    'event.publish',
    'stats.read',
    'order.read',
    'order.refund',
    'checkin.scan',
  ],
  box_office: ['event.read', 'stats.read', 'order.read', 'checkin.scan'],
  door: ['event.read', 'checkin.scan'],
  finance: ['event.read', 'stats.read', 'order.read'],
};

let organizerId: string;
let event: CreatedEvent;
let other: CreatedEvent;
let order: Purchase;
let otherOrder: Purchase;

/** One request per action against `target` (its paid order for refunds, its ticket for check-in). */
function request(action: ApiAction, target: CreatedEvent, paid: Purchase, auth: Auth) {
  const base = `/api/v1/organizer/events/${target.id}`;
  switch (action) {
    case 'event.create':
      return call('POST', '/api/v1/organizer/events', { body: eventBody(), headers: auth });
    case 'event.read':
      return call('GET', base, { headers: auth });
    case 'event.edit':
      return call('PATCH', base, { body: { description: 'Edited.' }, headers: auth });
    case 'event.publish':
      return call('POST', `${base}/publish`, { headers: auth });
    case 'stats.read':
      return call('GET', `${base}/stats`, { headers: auth });
    case 'order.read':
      return call('GET', `/api/v1/organizer/orders?eventId=${target.id}`, { headers: auth });
    case 'order.refund':
      // One minor unit at a time: every allowed role can refund the same paid order.
      return call('POST', `/api/v1/organizer/orders/${paid.orderId}/refund`, {
        body: { amountMinor: 1 },
        headers: auth,
      });
    case 'checkin.scan':
      return call('POST', '/api/v1/checkin', {
        body: { eventId: target.id, code: paid.tickets[0]?.code },
        headers: auth,
      });
  }
}

const ACTIONS = ALLOWED.admin;

beforeAll(async () => {
  const owner = await createOrganizer('Roles');
  organizerId = owner.organizerId;
  event = await createPublishedEvent(owner.auth);
  other = await createPublishedEvent(owner.auth);
  order = await purchase(event, typeId(event, 'ga'), 1);
  otherOrder = await purchase(other, typeId(other, 'ga'), 1);
});

describe('API keys act with their role', () => {
  for (const [role, allowed] of Object.entries(ALLOWED) as [
    Exclude<Role, 'owner'>,
    ApiAction[],
  ][]) {
    for (const action of ACTIONS) {
      const may = allowed.includes(action);
      it(`a ${role} key ${may ? 'may' : 'may not'} ${action}`, async () => {
        const res = await request(action, event, order, await createRoleKey(organizerId, role));
        if (may) {
          expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(200);
          expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
        } else {
          expectProblem(res, { status: 403, code: 'forbidden' });
        }
      });
    }
  }
});

describe('API keys limited to some events', () => {
  it('an event manager key works on its event and answers 404 for every action on another', async () => {
    const auth = await createRoleKey(organizerId, 'event_manager', [event.id]);
    for (const action of ACTIONS) {
      const inside = await request(action, event, order, auth);
      if (action === 'event.create') {
        // Creating is workspace-wide: a key limited to some events may not.
        expectProblem(inside, { status: 403, code: 'forbidden' });
        continue;
      }
      expect(inside.status, `${action} ${JSON.stringify(inside.body)}`).toBeLessThan(300);
      expectProblem(await request(action, other, otherOrder, auth), {
        status: 404,
        code: 'not_found',
      });
    }
  });

  it('lists show only the events in scope', async () => {
    const auth = await createRoleKey(organizerId, 'box_office', [event.id]);
    const events = await call<{ data: { id: string }[] }>('GET', '/api/v1/organizer/events', {
      headers: auth,
    });
    expect(events.body.data.map((e) => e.id)).toEqual([event.id]);
    const orders = await call<{ data: { eventId: string }[] }>('GET', '/api/v1/organizer/orders', {
      headers: auth,
    });
    expect(orders.body.data.length).toBeGreaterThan(0);
    expect(new Set(orders.body.data.map((o) => o.eventId))).toEqual(new Set([event.id]));
  });

  it('a door key limited to one event checks in there and nowhere else', async () => {
    const auth = await createRoleKey(organizerId, 'door', [other.id]);
    const ok = await request('checkin.scan', other, otherOrder, auth);
    expect(ok.status).toBe(200);
    expectProblem(await request('checkin.scan', event, order, auth), {
      status: 404,
      code: 'not_found',
    });
  });
});
