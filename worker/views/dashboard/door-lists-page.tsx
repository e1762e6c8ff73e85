import type { DoorScreens } from '../../dashboard/door-access';
import type { ListView } from '../../door/list-views';
import { DoneNotice, type DoorEvent, DoorLayout, doorTime } from './door-parts';
import type { NavContext } from './layout';

/**
 * An event's check-in lists with live counts: the table is also the fragment htmx reloads
 * every few seconds (GET …/checkin-lists/live), with a Refresh link for pages without it.
 */

/** How often the counts refresh in the browser (one DO read and one D1 count per poll). */
export const LISTS_POLL_SECONDS = 3;

const DONE: Record<string, string> = {
  created: 'List created. Devices on every list can scan on it at once.',
  saved: 'List saved.',
  deleted: 'List deleted. Its scans stay recorded.',
};

function ticketsText(list: ListView, typeNames: ReadonlyMap<string, string>): string {
  if (list.ticketTypeIds === null) return 'All tickets';
  return list.ticketTypeIds.map((id) => typeNames.get(id) ?? 'A removed type').join(', ');
}

function windowText(list: ListView, timeZone: string): string {
  if (!list.validFrom && !list.validUntil) return 'Any time';
  const from = list.validFrom ? `from ${doorTime(list.validFrom, timeZone)}` : '';
  const until = list.validUntil ? `until ${doorTime(list.validUntil, timeZone)}` : '';
  return [from, until].filter(Boolean).join(' ');
}

/** The lists and their counts: the fragment served at GET …/checkin-lists/live. */
export function ListsTable(props: {
  event: DoorEvent;
  lists: ListView[];
  typeNames: ReadonlyMap<string, string>;
  canManage: boolean;
  updatedAt: string;
}) {
  const base = `/dashboard/events/${props.event.id}/checkin-lists`;
  return (
    <>
      <div class="table-wrap">
        <table class="stack">
          <caption class="sr-only">Check-in lists and how many came in</caption>
          <thead>
            <tr>
              <th scope="col">List</th>
              <th scope="col">Tickets</th>
              <th scope="col">When</th>
              <th scope="col" class="num">
                Checked in
              </th>
              <th scope="col" class="num">
                Inside
              </th>
              {props.canManage ? <th scope="col">Change</th> : null}
            </tr>
          </thead>
          <tbody>
            {props.lists.map((list) => (
              <tr id={`list-${list.id}`}>
                <th scope="row">
                  {list.name} {list.isDefault ? <span class="badge">default</span> : null}
                  <span class="badge">{list.direction === 'entry' ? 'Entry' : 'Exit'}</span>
                  {list.gate ? <span class="small muted"> Gate {list.gate}</span> : null}
                </th>
                <td data-label="Tickets">{ticketsText(list, props.typeNames)}</td>
                <td data-label="When">{windowText(list, props.event.timezone)}</td>
                <td data-label="Checked in" class="num" data-count="checked-in">
                  {list.direction === 'exit'
                    ? `${list.checkedIn} left`
                    : `${list.checkedIn} / ${list.total}`}
                </td>
                <td data-label="Inside" class="num">
                  {list.direction === 'entry' ? list.inside : '–'}
                </td>
                {props.canManage ? (
                  <td data-label="Change">
                    <a href={`${base}/${list.id}/edit`}>
                      Edit<span class="sr-only"> {list.name}</span>
                    </a>
                    {list.isDefault ? null : (
                      <>
                        {' · '}
                        <a href={`${base}/${list.id}/delete`}>
                          Delete<span class="sr-only"> {list.name}</span>
                        </a>
                      </>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="hint">
        Checked in: tickets admitted on the list (each once) of its valid tickets. Updated{' '}
        {props.updatedAt}.
      </p>
    </>
  );
}

export function ListsPage(props: {
  nav: NavContext;
  event: DoorEvent;
  screens: DoorScreens;
  lists: ListView[];
  typeNames: ReadonlyMap<string, string>;
  updatedAt: string;
  done?: string | undefined;
}) {
  const base = `/dashboard/events/${props.event.id}/checkin-lists`;
  return (
    <DoorLayout
      nav={props.nav}
      event={props.event}
      tab="lists"
      title="Check-in lists"
      screens={props.screens}
      scripts={['htmx']}
    >
      <DoneNotice done={props.done} words={DONE} />
      <p>
        A list says which tickets come in where and when. A ticket counts once per list, however
        often it is scanned.
      </p>
      {props.screens.manageLists ? (
        <p>
          <a class="btn" href={`${base}/new`}>
            New list
          </a>
        </p>
      ) : null}
      <section aria-labelledby="lists-live-title">
        <h2 id="lists-live-title">Live counts</h2>
        <div
          id="lists-live"
          hx-get={`${base}/live`}
          hx-trigger={`every ${LISTS_POLL_SECONDS}s`}
          hx-swap="innerHTML"
        >
          <ListsTable
            event={props.event}
            lists={props.lists}
            typeNames={props.typeNames}
            canManage={props.screens.manageLists}
            updatedAt={props.updatedAt}
          />
        </div>
        <p>
          <a href={base}>Refresh</a>
        </p>
      </section>
    </DoorLayout>
  );
}
