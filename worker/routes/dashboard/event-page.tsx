import { authorize } from '../../access/authorize';
import type { Action } from '../../access/roles';
import { loadOwnEvent } from '../../catalog/event-commands';
import { inventoryFor } from '../../catalog/inventory';
import { doorScreensOf } from '../../dashboard/door-access';
import { liveRoomOf } from '../../dashboard/room-live';
import { publicOrigin } from '../../http/bearer';
import { settlementOf } from '../../reconciliation/settlement';
import { EventSummaryPage } from '../../views/dashboard/home-pages';
import { resolveWaitingRoom } from '../../waiting-room/settings';
import { type DashboardContext, navFor } from './shared';

/** The time of day in the event's zone, for "Updated …" under the live figures. */
export function clockIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en', { timeStyle: 'medium', timeZone }).format(now);
}

/**
 * An event's page: summary, buttons by role, the waiting room (live figures for `stats.read`,
 * controls for `event.edit`) and "Sell on your site". `rate` redraws the rate form as sent,
 * with its error (422).
 */
export async function renderEventPage(
  c: DashboardContext,
  eventId: string,
  rate?: { value: string; error: string },
) {
  const principal = c.get('principal');
  const record = await loadOwnEvent(c.get('db'), principal.organizerId, eventId);
  const [nav, snapshot] = await Promise.all([
    navFor(c, 'events'),
    inventoryFor(c.env, eventId).availability(),
  ]);
  const allowed = (action: Action) => authorize(principal, action, { eventId }) === 'allow';
  const { event } = record;
  const room = snapshot && allowed('stats.read') ? liveRoomOf(snapshot.waitingRoom) : null;
  const settlement = allowed('payout.read') ? await settlementOf(c.get('db'), event) : null;
  return c.html(
    <EventSummaryPage
      nav={nav}
      record={record}
      availability={snapshot?.ticketTypes ?? []}
      can={{
        edit: allowed('event.edit'),
        publish: allowed('event.publish'),
        copy: allowed('event.create'),
        stats: allowed('stats.read'),
      }}
      done={c.req.query('done')}
      room={{
        live: room,
        updatedAt: clockIn(event.timezone),
        rate: rate ?? { value: String(resolveWaitingRoom(event.waitingRoom).admitPerMinute) },
      }}
      origin={publicOrigin(c)}
      door={doorScreensOf(principal, eventId)}
      settlement={settlement}
    />,
    rate ? 422 : 200,
  );
}
