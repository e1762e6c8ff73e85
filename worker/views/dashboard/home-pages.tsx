import type { TypeAvailability } from '../../../durable-objects/inventory/types';
import type { ChecklistStep, EventSummary } from '../../access/workspace-events';
import type { EventRecord } from '../../catalog/event-record';
import type { DoorScreens } from '../../dashboard/door-access';
import type { LiveRoom } from '../../dashboard/room-live';
import type { SettlementReport } from '../../reconciliation/settlement';
import { formatEventTime, formatInstant, formatPrice } from '../format';
import { DoorPanel } from './door-panel';
import { EmbedPanel } from './embed-panel';
import { DashboardLayout, type NavContext } from './layout';
import { RoomPanel } from './room-panel';
import { SettlementPanel } from './settlement-page';

/** The way into the editor, for those who may create events. */
function NewEventLink(props: { canCreate: boolean }) {
  return props.canCreate ? (
    <p>
      <a class="btn" href="/dashboard/events/new">
        New event
      </a>
    </p>
  ) : null;
}

function EventsTable(props: { events: EventSummary[] }) {
  if (props.events.length === 0) return <p class="card">No events yet.</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Starts</th>
            <th scope="col" class="num">
              Sold / capacity
            </th>
          </tr>
        </thead>
        <tbody>
          {props.events.map((e) => (
            <tr>
              <td>
                <a href={`/dashboard/events/${e.id}`}>{e.title}</a>
              </td>
              <td>
                <span class="badge">{e.status.replace('_', ' ')}</span>{' '}
                {e.testMode ? <span class="badge test-mode">TEST</span> : null}
              </td>
              <td>{formatInstant(e.startsAt, e.timezone)}</td>
              <td class="num">
                {e.sold} / {e.capacity}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function HomePage(props: {
  nav: NavContext;
  name: string;
  steps: ChecklistStep[];
  events: EventSummary[];
  canCreate: boolean;
}) {
  const left = props.steps.filter((s) => !s.done).length;
  return (
    <DashboardLayout title="Home" nav={props.nav}>
      <h1>{props.name}</h1>
      <section class="card" aria-labelledby="getting-started">
        <h2 id="getting-started">Getting started</h2>
        <p class="muted">
          {left === 0 ? 'All done: you are selling.' : `${left} of 4 steps left.`}
        </p>
        <ol class="checklist">
          {props.steps.map((step) => (
            <li>
              <span class={step.done ? 'done' : 'todo'}>{step.done ? 'Done' : 'To do'}</span>{' '}
              {step.label}
            </li>
          ))}
        </ol>
      </section>
      <h2>Events</h2>
      <NewEventLink canCreate={props.canCreate} />
      <EventsTable events={props.events} />
    </DashboardLayout>
  );
}

export function EventsPage(props: { nav: NavContext; events: EventSummary[]; canCreate: boolean }) {
  return (
    <DashboardLayout title="Events" nav={props.nav}>
      <h1>Events</h1>
      <NewEventLink canCreate={props.canCreate} />
      <EventsTable events={props.events} />
    </DashboardLayout>
  );
}

/** A read-only summary of one event: what the event editor will build on. */
const DONE: Record<string, string> = {
  created: 'Draft created. Publish it when it is ready to sell.',
  saved: 'Changes saved.',
  published: 'Published: tickets are on sale.',
  unpublished: 'Taken off sale: no new holds until you publish again.',
  canceled: 'Event canceled: sales have stopped.',
  copied: 'This is a copy, saved as a draft.',
  paused: 'Admission paused: the line stands still until you resume.',
  resumed: 'Admission resumed: the line moves again.',
  rate: 'Admission rate changed.',
};

export function EventSummaryPage(props: {
  nav: NavContext;
  record: EventRecord;
  availability: TypeAvailability[];
  /** The buttons this person may press, and whether they see live figures. */
  can: { edit: boolean; publish: boolean; copy: boolean; stats: boolean };
  done?: string | undefined;
  /** The waiting room's live figures (null without `stats.read`) and the rate form. */
  room: { live: LiveRoom | null; updatedAt: string; rate: { value: string; error?: string } };
  /** Tessera's public origin, for the embed snippet. */
  origin: string;
  /** The door screens this person may open (none: no panel). */
  door?: DoorScreens | undefined;
  /** The event's settlement, for who may read payouts (`payout.read`). */
  settlement?: SettlementReport | null | undefined;
}) {
  const { event, ticketTypes } = props.record;
  const byId = new Map(props.availability.map((a) => [a.id, a]));
  const done = props.done ? DONE[props.done] : undefined;
  return (
    <DashboardLayout title={event.title} nav={props.nav} scripts={['htmx', 'dashboard']}>
      <p>
        <a href="/dashboard/events">← Events</a>
      </p>
      <h1>{event.title}</h1>
      {event.testMode ? (
        <p class="notice test-mode" role="note">
          <strong>TEST MODE</strong>: orders are test payments, their tickets say TEST and are
          refused at a live door, and they are left out of your numbers. Delete them with{' '}
          <code>DELETE /api/v1/organizer/events/{event.id}/test-orders</code>.
        </p>
      ) : null}
      {done ? (
        <p class="notice ok" role="status">
          {done}
        </p>
      ) : null}
      <EventActions eventId={event.id} status={event.status} slug={event.slug} can={props.can} />
      <dl class="card">
        <dt>Status</dt>
        <dd>
          <span class="badge">{event.status.replace('_', ' ')}</span>
        </dd>
        <dt>When</dt>
        <dd>{formatEventTime(event.startsAt, event.endsAt, event.timezone)}</dd>
        <dt>Sales</dt>
        <dd>
          {event.salesStartAt ? formatInstant(event.salesStartAt, event.timezone) : 'now'} to{' '}
          {event.salesEndAt ? formatInstant(event.salesEndAt, event.timezone) : 'the start'}
        </dd>
        <dt>Address</dt>
        <dd class="mono">/e/{event.slug}</dd>
      </dl>
      <h2>Ticket types</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" class="num">
                Price
              </th>
              <th scope="col" class="num">
                Sold / capacity
              </th>
            </tr>
          </thead>
          <tbody>
            {ticketTypes.map((t) => (
              <tr>
                <td>
                  {t.name} {t.hidden ? <span class="badge">hidden</span> : null}
                </td>
                <td class="num">{formatPrice(t.priceMinor, event.currency)}</td>
                <td class="num">
                  {byId.get(t.id)?.sold ?? 0} / {t.capacity}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.settlement ? <SettlementPanel eventId={event.id} report={props.settlement} /> : null}
      {props.can.stats ? (
        <RoomPanel
          eventId={event.id}
          mode={event.waitingRoom.mode}
          room={props.room.live}
          updatedAt={props.room.updatedAt}
          canControl={props.can.edit}
          rate={props.room.rate}
        />
      ) : null}
      {props.door ? <DoorPanel eventId={event.id} screens={props.door} /> : null}
      <EmbedPanel
        eventId={event.id}
        slug={event.slug}
        status={event.status}
        origin={props.origin}
        allowedOrigins={event.allowedOrigins}
      />
    </DashboardLayout>
  );
}

/** Edit, publish or take off sale, copy, cancel: each a form that posts (no JS needed). */
function EventActions(props: {
  eventId: string;
  status: string;
  slug: string;
  can: { edit: boolean; publish: boolean; copy: boolean };
}) {
  const base = `/dashboard/events/${props.eventId}`;
  const button = (step: string, label: string, kind = 'secondary') => (
    <form class="inline" method="post" action={`${base}/${step}`}>
      <button type="submit" class={kind}>
        {label}
      </button>
    </form>
  );
  const live = props.status !== 'canceled';
  return (
    <div class="actions">
      {props.can.edit && live ? (
        <a class="btn" href={`${base}/edit`}>
          Edit event
        </a>
      ) : null}
      {props.can.publish && props.status === 'draft' ? button('publish', 'Publish', '') : null}
      {props.can.publish && props.status === 'on_sale'
        ? button('unpublish', 'Take off sale')
        : null}
      {props.status === 'on_sale' ? (
        <a class="btn secondary" href={`/e/${props.slug}`}>
          View event page
        </a>
      ) : null}
      <a class="btn secondary" href={`${base}/preview`}>
        Preview as buyers see it
      </a>
      {props.can.copy ? button('duplicate', 'Duplicate') : null}
      <a class="btn secondary" href={`${base}/orders`}>
        Orders
      </a>
      {props.can.publish && live ? button('cancel', 'Cancel event', 'danger') : null}
      {props.can.publish ? (
        <a class="btn danger" href={`${base}/cancellation`}>
          {live ? 'Cancel event and refund orders' : 'Refunds of the cancellation'}
        </a>
      ) : null}
    </div>
  );
}
