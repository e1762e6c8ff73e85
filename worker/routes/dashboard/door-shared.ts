import { loadOwnEvent } from '../../catalog/event-commands';
import type { EventRecord } from '../../catalog/event-record';
import {
  type DoorScreen,
  type DoorScreens,
  doorScreensOf,
  requireDoorScreen,
} from '../../dashboard/door-access';
import type { DoorEvent } from '../../views/dashboard/door-parts';
import type { NavContext } from '../../views/dashboard/layout';
import { type DashboardContext, navFor } from './shared';

export interface DoorPage {
  record: EventRecord;
  event: DoorEvent;
  screens: DoorScreens;
  nav: NavContext;
}

/**
 * The prelude of every door screen: the role may use `screen` for this event (404 outside the
 * scope, 403 for the role), the event is this workspace's (404), and what the page draws with.
 */
export async function doorPage(c: DashboardContext, screen: DoorScreen): Promise<DoorPage> {
  const eventId = c.req.param('eventId') ?? '';
  const principal = c.get('principal');
  requireDoorScreen(principal, screen, eventId);
  const [record, nav] = await Promise.all([
    loadOwnEvent(c.get('db'), principal.organizerId, eventId),
    navFor(c, 'events'),
  ]);
  const { event } = record;
  return {
    record,
    event: { id: event.id, title: event.title, timezone: event.timezone },
    screens: doorScreensOf(principal, eventId),
    nav,
  };
}
