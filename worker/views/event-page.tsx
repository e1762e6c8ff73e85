import type { StorefrontEvent } from '../catalog/storefront-view';
import { availabilityWords, formatPrice, paragraphs } from './format';
import { Layout } from './layout';
import { EventHeader, Notice } from './parts';

type TicketTypeView = StorefrontEvent['ticketTypes'][number];

/** Props of the event page; `selected` keeps the buyer's choice when the page is shown again. */
export interface EventPageProps {
  event: StorefrontEvent;
  now: number;
  notice?: { kind: 'info' | 'error'; text: string } | undefined;
  selected?: ReadonlyMap<string, number> | undefined;
  /**
   * The waiting room guards the sale and this buyer has no admission: instead of the ticket
   * form, a button to join the line (`join`) or a link back to their place in it (`in_line`).
   */
  queue?: 'join' | 'in_line' | undefined;
  /**
   * The organizer's preview in the dashboard: a banner says so, and the ticket form can not
   * be sent (no action, a disabled button). `draft`: not published yet.
   */
  preview?: 'draft' | 'published' | undefined;
}

/** The most a buyer can pick of a type: what is free, within the per-order limit. */
export function selectableMax(type: TicketTypeView, maxPerOrder: number): number {
  if (type.status !== 'available' && type.status !== 'few_left') return 0;
  return Math.max(0, Math.min(type.available, maxPerOrder));
}

/** The public event page: details, ticket types, and a plain form that holds tickets. */
export function EventPage(props: EventPageProps) {
  const { event } = props;
  const buyable = event.ticketTypes.some((t) => selectableMax(t, event.maxPerOrder) > 0);
  return (
    <Layout title={event.title}>
      {props.preview ? <PreviewBanner preview={props.preview} slug={event.slug} /> : null}
      <EventHeader event={event} />
      {event.status === 'canceled' ? (
        <Notice kind="error">This event has been canceled.</Notice>
      ) : null}
      {paragraphs(event.description).map((lines) => (
        <p>{lines.flatMap((line, i) => (i === 0 ? [line] : [<br />, line]))}</p>
      ))}
      <h2 id="tickets">Tickets</h2>
      {props.notice ? <Notice kind={props.notice.kind}>{props.notice.text}</Notice> : null}
      {props.queue ? (
        <WaitingRoomEntry event={event} now={props.now} queue={props.queue} />
      ) : (
        <TicketForm {...props} buyable={buyable} />
      )}
    </Layout>
  );
}

function PreviewBanner(props: { preview: 'draft' | 'published'; slug: string }) {
  return (
    <div class="notice" role="note">
      {props.preview === 'draft' ? (
        <p>
          <strong>Preview — not on sale.</strong> This is how buyers will see the event page once it
          is published. Reserving is switched off here.
        </p>
      ) : (
        <p>
          <strong>Preview.</strong> The event is on sale at{' '}
          <a href={`/e/${props.slug}`}>its event page</a>; reserving is switched off here.
        </p>
      )}
    </div>
  );
}

/** The ticket types to look at, and the way into the line that leads to them. */
function WaitingRoomEntry(props: {
  event: StorefrontEvent;
  now: number;
  queue: 'join' | 'in_line';
}) {
  const { event } = props;
  return (
    <>
      {event.ticketTypes.map((type) => (
        <TicketTypeRow type={type} event={event} now={props.now} chosen={0} readOnly />
      ))}
      <div class="card">
        <p>
          <strong>Tickets are in high demand.</strong> To keep things fair, buyers go through a
          waiting room and are let in to choose tickets in turn.
        </p>
        {event.waitingRoom.phase === 'pre_queue' ? (
          <p>
            Sales have not started yet. When they open, the order of everyone waiting is drawn at
            random, so arriving earlier gives no advantage.
          </p>
        ) : null}
        {props.queue === 'in_line' ? (
          <a class="btn" href={`/e/${event.slug}/queue`}>
            Back to your place in line
          </a>
        ) : (
          <form method="post" action={`/e/${event.slug}/queue`}>
            <button class="btn" type="submit">
              Join the waiting room
            </button>
          </form>
        )}
      </div>
    </>
  );
}

/** The plain form that holds the chosen tickets. */
function TicketForm(props: EventPageProps & { buyable: boolean }) {
  const { event, buyable } = props;
  // In the organizer's preview the same controls show, but the form goes nowhere.
  const Wrapper = props.preview
    ? (p: { children: unknown }) => <div>{p.children}</div>
    : (p: { children: unknown }) => (
        <form method="post" action={`/e/${event.slug}/hold`}>
          {p.children}
        </form>
      );
  return (
    <Wrapper>
      {event.ticketTypes.map((type) => (
        <TicketTypeRow
          type={type}
          event={event}
          now={props.now}
          chosen={props.selected?.get(type.id) ?? 0}
        />
      ))}
      {buyable ? (
        <>
          <p class="muted small">
            Up to {event.maxPerOrder} tickets per order. We hold them for {event.holdMinutes}{' '}
            minutes while you check out.
          </p>
          <button class="btn" type="submit" disabled={props.preview !== undefined}>
            Reserve tickets
          </button>
        </>
      ) : (
        <p class="muted">No tickets can be bought right now.</p>
      )}
    </Wrapper>
  );
}

function TicketTypeRow(props: {
  type: TicketTypeView;
  event: StorefrontEvent;
  now: number;
  chosen: number;
  /** Shown for reference only (waiting room): no control. */
  readOnly?: boolean;
}) {
  const { type, event } = props;
  const max = props.readOnly ? 0 : selectableMax(type, event.maxPerOrder);
  const badge = availabilityWords(type.status, event, props.now);
  const field = `qty_${type.id}`;
  return (
    <div class="card row">
      <div>
        <strong>{type.name}</strong>
        <br />
        {formatPrice(type.priceMinor, event.currency)}{' '}
        {badge ? <span class={`badge ${type.status}`}>{badge}</span> : null}
      </div>
      {/* Sold out or not on sale: no control at all, so nothing can be chosen. */}
      {max > 0 ? (
        <div>
          <label for={field} class="small">
            How many
          </label>
          <select id={field} name={field}>
            {Array.from({ length: max + 1 }, (_, n) => (
              <option value={String(n)} selected={n === Math.min(props.chosen, max)}>
                {n}
              </option>
            ))}
          </select>
        </div>
      ) : null}
    </div>
  );
}
