import type { Context } from 'hono';
import type { AppEnv } from '../app-env';
import { loadOwnEvent } from '../catalog/event-commands';
import type { EventRecord } from '../catalog/event-record';

/** What an organizer-side caller wants to do with an event's door. */
export type DoorAction =
  | 'checkin.scan'
  | 'checkin.lists.read'
  | 'checkin.lists.manage'
  | 'checkin.conflicts.read'
  | 'devices.manage';

/**
 * The event, if the caller may do `action` with it; 404 otherwise (another organizer's event
 * is indistinguishable from none). Today every key of the event's organizer may do all of it;
 * roles will decide per action.
 */
export function requireEventAccess(
  c: Context<AppEnv>,
  eventId: string,
  _action: DoorAction,
): Promise<EventRecord> {
  return loadOwnEvent(c.get('db'), c.get('organizerId'), eventId);
}
