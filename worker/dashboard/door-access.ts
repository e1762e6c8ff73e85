import { authorize, requireAllowed } from '../access/authorize';
import type { Principal } from '../access/principal';
import type { Action } from '../access/roles';

/**
 * Who sees which door screen of the dashboard. Every door screen needs `checkin.scan` (the
 * people who work the door: owner, admin, event manager, box office, door; finance never),
 * then the action the organizer API asks for the same thing (worker/door/event-access.ts).
 */
export type DoorScreen = 'lists' | 'lists.manage' | 'devices' | 'conflicts' | 'conflicts.review';

const NEEDS: Record<DoorScreen, readonly Action[]> = {
  lists: ['checkin.scan', 'event.read'],
  'lists.manage': ['checkin.scan', 'checkin.manage'],
  devices: ['checkin.scan', 'device.manage'],
  conflicts: ['checkin.scan', 'stats.read'],
  'conflicts.review': ['checkin.scan', 'stats.read', 'checkin.manage'],
};

/** Throws the route's answer: 404 for an event outside the scope, 403 for the role. */
export function requireDoorScreen(principal: Principal, screen: DoorScreen, eventId: string) {
  for (const action of NEEDS[screen]) requireAllowed(principal, action, { eventId });
}

export function mayUseDoorScreen(
  principal: Principal,
  screen: DoorScreen,
  eventId: string,
): boolean {
  return NEEDS[screen].every((action) => authorize(principal, action, { eventId }) === 'allow');
}

/** The door screens a principal may open for an event (the event page's links, the sub-nav). */
export function doorScreensOf(principal: Principal, eventId: string) {
  const may = (screen: DoorScreen) => mayUseDoorScreen(principal, screen, eventId);
  return {
    lists: may('lists'),
    manageLists: may('lists.manage'),
    devices: may('devices'),
    conflicts: may('conflicts'),
    reviewConflicts: may('conflicts.review'),
  };
}

export type DoorScreens = ReturnType<typeof doorScreensOf>;
