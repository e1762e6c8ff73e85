/**
 * Roles and actions of a workspace (DESIGN.md "The organizer side"). One table says which
 * role may do what; `authorize` (authorize.ts) adds event scopes on top. Keep both closed:
 * a new screen or route adds its action here first.
 */

export const ROLES = ['owner', 'admin', 'event_manager', 'box_office', 'door', 'finance'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
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
  'member.read',
  'member.manage',
  'ownership.manage',
  'apikey.manage',
  'payout.read',
  'payout.settings',
  'export.read',
  'workspace.settings',
  'workspace.delete',
] as const;
export type Action = (typeof ACTIONS)[number];

/** Roles an API key may carry: ownership and payouts stay with people. */
export const API_KEY_ROLES = [
  'admin',
  'event_manager',
  'box_office',
  'door',
  'finance',
] as const satisfies readonly Role[];
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  event_manager: 'Event manager',
  box_office: 'Box office',
  door: 'Door',
  finance: 'Finance',
};

const EVERYTHING: readonly Action[] = ACTIONS;
const READ_ALL: readonly Action[] = [
  'event.read',
  'stats.read',
  'order.read',
  'member.read',
  'payout.read',
  'export.read',
];

/** The permission table of the issue ("Team and roles"). */
export const ROLE_ACTIONS: Record<Role, ReadonlySet<Action>> = {
  owner: new Set(EVERYTHING),
  admin: new Set(
    EVERYTHING.filter(
      (a) => a !== 'ownership.manage' && a !== 'payout.settings' && a !== 'workspace.delete',
    ),
  ),
  event_manager: new Set([
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
  ]),
  box_office: new Set([
    'event.read',
    'stats.read',
    'order.read',
    'ticket.resend',
    'checkin.scan',
    'device.manage',
  ]),
  door: new Set(['event.read', 'checkin.scan', 'device.manage']),
  finance: new Set(READ_ALL),
};

/**
 * Actions that create something outside any one event: a principal limited to some events
 * may not do them, even when its role could inside its events.
 */
export const WORKSPACE_WIDE_ACTIONS: ReadonlySet<Action> = new Set(['event.create']);

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
