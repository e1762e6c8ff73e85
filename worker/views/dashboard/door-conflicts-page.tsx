import type { DoorScreens } from '../../dashboard/door-access';
import type { ConflictView } from '../../door/conflicts';
import { DoneNotice, type DoorEvent, DoorLayout, doorTime } from './door-parts';
import type { NavContext } from './layout';

/**
 * Tickets let in twice on one list by devices that could not see each other (offline), newest
 * first: both scans side by side, and who marked it reviewed.
 */

export interface ConflictRow extends ConflictView {
  holderName: string | null;
  ticketTypeName: string | null;
  listName: string;
  reviewedByName: string | null;
}

const DONE: Record<string, string> = { reviewed: 'Marked reviewed.' };

function Scan(props: { side: ConflictView['first']; timeZone: string }) {
  return (
    <>
      {doorTime(props.side.scannedAt, props.timeZone)}
      <br />
      <span class="small">
        {props.side.deviceName ?? (props.side.deviceId === '' ? 'Online check-in' : 'A device')}
        {props.side.gate ? `, gate ${props.side.gate}` : ''}
      </span>
    </>
  );
}

export function ConflictsPage(props: {
  nav: NavContext;
  event: DoorEvent;
  screens: DoorScreens;
  conflicts: ConflictRow[];
  /** The id to show older conflicts below, when there are more. */
  olderThan: number | null;
  done?: string | undefined;
}) {
  const base = `/dashboard/events/${props.event.id}/conflicts`;
  const tz = props.event.timezone;
  return (
    <DoorLayout
      nav={props.nav}
      event={props.event}
      tab="conflicts"
      title="Conflicts"
      screens={props.screens}
    >
      <DoneNotice done={props.done} words={DONE} />
      <p>
        A conflict is one ticket let in twice on one list by devices that were offline at the time.
        Both scans are kept; the list counts the ticket once. Newest first.
      </p>
      {props.conflicts.length === 0 ? (
        <p class="muted">No conflicts.</p>
      ) : (
        <div class="table-wrap">
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">Attendee</th>
                <th scope="col">List</th>
                <th scope="col">First scan</th>
                <th scope="col">Second scan</th>
                <th scope="col">Review</th>
              </tr>
            </thead>
            <tbody>
              {props.conflicts.map((x) => (
                <tr id={`conflict-${x.id}`}>
                  <th scope="row">
                    {x.holderName ?? 'Unknown attendee'}
                    <br />
                    <span class="small muted">
                      {x.ticketTypeName ? `${x.ticketTypeName}, ` : ''}
                      <span class="mono">{x.ticketId}</span>
                    </span>
                  </th>
                  <td data-label="List">{x.listName}</td>
                  <td data-label="First scan">
                    <Scan side={x.first} timeZone={tz} />
                  </td>
                  <td data-label="Second scan">
                    <Scan side={x.second} timeZone={tz} />
                  </td>
                  <td data-label="Review">
                    {x.reviewedAt ? (
                      <>
                        <span class="badge reviewed">Reviewed</span>
                        <br />
                        <span class="small">
                          {x.reviewedByName ?? 'Someone'}, {doorTime(x.reviewedAt, tz)}
                        </span>
                      </>
                    ) : props.screens.reviewConflicts ? (
                      <form method="post" action={`${base}/${x.id}/review`} class="inline">
                        <button type="submit" class="secondary">
                          Mark reviewed
                          <span class="sr-only"> ({x.holderName ?? x.ticketId})</span>
                        </button>
                      </form>
                    ) : (
                      <span class="badge open">Not reviewed</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.olderThan !== null ? (
        <p>
          <a href={`${base}?before=${props.olderThan}`}>Older conflicts</a>
        </p>
      ) : null}
    </DoorLayout>
  );
}
