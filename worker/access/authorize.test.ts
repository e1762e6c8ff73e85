import { describe, expect, it } from 'vitest';
import { authorize } from './authorize';
import type { Principal } from './principal';
import { ACTIONS, type Action, ROLES, type Role } from './roles';

/**
 * The role table written out action by action, independently of ROLE_ACTIONS, so a
 * change to the table in roles.ts has to be made here too, on purpose.
 */
const ALLOWED: Record<Role, Action[]> = {
  owner: [...ACTIONS],
  admin: ACTIONS.filter(
    (a) => !['ownership.manage', 'payout.settings', 'workspace.delete'].includes(a),
  ),
  event_manager: [
    'event.read',
    'event.create',
    'event.edit',
    'event.publish',
    'stats.read',
    'order.read',
    'order.refund',
    'ticket.resend',
    'checkin.scan',
    'checkin.manage',
    'device.manage',
  ],
  box_office: [
    'event.read',
    'stats.read',
    'order.read',
    'ticket.resend',
    'checkin.scan',
    'device.manage',
  ],
  door: ['event.read', 'checkin.scan', 'device.manage'],
  finance: ['event.read', 'stats.read', 'order.read', 'member.read', 'payout.read', 'export.read'],
};

function member(role: Role, eventScope: string[] | null = null): Principal {
  return {
    kind: 'member',
    organizerId: 'org_a',
    role,
    eventScope,
    personId: 'per_a',
    sessionId: 'ses_a',
  };
}

describe('authorize: every role x every action', () => {
  for (const role of ROLES) {
    for (const action of ACTIONS) {
      const expected = ALLOWED[role].includes(action) ? 'allow' : 'forbidden';
      it(`${role} ${expected === 'allow' ? 'may' : 'may not'} ${action}`, () => {
        expect(authorize(member(role), action)).toBe(expected);
        expect(authorize(member(role), action, { eventId: 'evt_1' })).toBe(expected);
        const key: Principal = {
          kind: 'api_key',
          organizerId: 'org_a',
          role,
          eventScope: null,
          keyId: 'key_a',
        };
        expect(authorize(key, action, { eventId: 'evt_1' })).toBe(expected);
      });
    }
  }
});

describe('authorize: event scopes', () => {
  it('an event outside the scope is not_found for every role and action, never forbidden', () => {
    for (const role of ROLES) {
      for (const action of ACTIONS) {
        expect(authorize(member(role, ['evt_1']), action, { eventId: 'evt_2' })).toBe('not_found');
      }
    }
  });

  it('inside the scope the role decides', () => {
    expect(authorize(member('event_manager', ['evt_1']), 'event.edit', { eventId: 'evt_1' })).toBe(
      'allow',
    );
    expect(authorize(member('door', ['evt_1']), 'order.refund', { eventId: 'evt_1' })).toBe(
      'forbidden',
    );
  });

  it('a scoped principal may list (filtered) but not create events', () => {
    expect(authorize(member('event_manager', ['evt_1']), 'event.read')).toBe('allow');
    expect(authorize(member('event_manager', ['evt_1']), 'event.create')).toBe('forbidden');
    expect(authorize(member('event_manager', []), 'event.read', { eventId: 'evt_1' })).toBe(
      'not_found',
    );
  });
});
