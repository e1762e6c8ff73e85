import type { Context } from 'hono';
import { requireAllowed } from '../access/authorize';
import type { Action } from '../access/roles';
import type { AppEnv } from '../app-env';
import { loadOwnEvent } from '../catalog/event-commands';
import type { EventRecord } from '../catalog/event-record';

/** What an organizer-side caller wants to do with an event's door. */
export type DoorAction =
  | 'checkin.scan'
  | 'checkin.lists.read'
  | 'checkin.lists.manage'
  | 'checkin.conflicts.read'
  | 'checkin.conflicts.review'
  | 'devices.manage';

/** The role table's action behind each door action (worker/access/roles.ts). */
const ROLE_ACTION: Record<DoorAction, Action> = {
  'checkin.scan': 'checkin.scan',
  'checkin.lists.read': 'event.read',
  'checkin.lists.manage': 'checkin.manage',
  'checkin.conflicts.read': 'stats.read',
  'checkin.conflicts.review': 'checkin.manage',
  'devices.manage': 'device.manage',
};

/**
 * The event, if the caller may do `action` with it: an event outside the caller's scope or
 * workspace is 404 (never reveal it exists), a role that may not is 403.
 */
export function requireEventAccess(
  c: Context<AppEnv>,
  eventId: string,
  action: DoorAction,
): Promise<EventRecord> {
  requireAllowed(c.get('principal'), ROLE_ACTION[action], { eventId });
  return loadOwnEvent(c.get('db'), c.get('organizerId'), eventId);
}
