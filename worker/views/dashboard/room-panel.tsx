import type { LiveRoom, NewBuyerWait } from '../../dashboard/room-live';

/**
 * The waiting room on an event's page: live figures (a fragment htmx reloads every few
 * seconds, and a Refresh link without JavaScript) and the organizer's controls: pause or
 * resume admission, and the admission rate. Each control is a form that posts and redirects.
 */

/** How often the figures refresh in the browser (DESIGN.md: the DO is read at most 1/s). */
export const ROOM_POLL_SECONDS = 3;

function waitWords(wait: NewBuyerWait): string {
  switch (wait.kind) {
    case 'paused':
      return 'Nobody is let in while admission is paused';
    case 'pre_queue':
      return 'Waits for the draw when sales open';
    case 'straight_in':
      return 'Straight in, no wait';
    case 'seconds':
      return wait.seconds < 60
        ? `About ${wait.seconds} seconds`
        : `About ${Math.ceil(wait.seconds / 60)} minutes`;
  }
}

const PHASE_WORDS = {
  off: 'Not running (sales are closed or the room is off)',
  pre_queue: 'Pre-queue: buyers wait for sales to open',
  queue: 'Running',
} as const;

/** The live figures: the fragment served at GET /dashboard/events/:id/room. */
export function RoomFigures(props: { room: LiveRoom; updatedAt: string }) {
  const { stats } = props.room;
  const status = props.room.paused ? 'Paused: the line stands still' : PHASE_WORDS[stats.phase];
  return (
    <>
      <dl class="figures">
        <div>
          <dt>Status</dt>
          <dd>{status}</dd>
        </div>
        <div>
          <dt>In line</dt>
          <dd>{stats.queueLength}</dd>
        </div>
        <div>
          <dt>Shopping now</dt>
          <dd>
            {stats.activeShoppers} of {stats.activeLimit}
          </dd>
        </div>
        <div>
          <dt>Admitted in the last minute</dt>
          <dd>
            {stats.admissionRatePerMinute} (rate {stats.admitPerMinute} a minute)
          </dd>
        </div>
        <div>
          <dt>A new buyer’s wait</dt>
          <dd>{waitWords(props.room.wait)}</dd>
        </div>
      </dl>
      <p class="hint">Updated {props.updatedAt}.</p>
    </>
  );
}

export function RoomPanel(props: {
  eventId: string;
  mode: string;
  room: LiveRoom | null;
  updatedAt: string;
  /** May pause, resume and change the rate (event.edit). */
  canControl: boolean;
  rate: { value: string; error?: string | undefined };
}) {
  const base = `/dashboard/events/${props.eventId}`;
  if (props.mode === 'off' || !props.room) {
    return (
      <section class="card" id="waiting-room" aria-labelledby="waiting-room-title">
        <h2 id="waiting-room-title">Waiting room</h2>
        <p>
          The waiting room is off: buyers choose tickets right away.{' '}
          {props.canControl ? <a href={`${base}/edit#waiting-room`}>Turn it on</a> : null}
        </p>
      </section>
    );
  }
  return (
    <section class="card" id="waiting-room" aria-labelledby="waiting-room-title">
      <h2 id="waiting-room-title">Waiting room</h2>
      <div
        id="room-live"
        hx-get={`${base}/room`}
        hx-trigger={`every ${ROOM_POLL_SECONDS}s`}
        hx-swap="innerHTML"
      >
        <RoomFigures room={props.room} updatedAt={props.updatedAt} />
      </div>
      <p>
        <a href={`${base}#waiting-room`}>Refresh</a>
      </p>
      {props.canControl ? <RoomControls {...props} base={base} /> : null}
    </section>
  );
}

function RoomControls(props: {
  base: string;
  room: LiveRoom | null;
  rate: { value: string; error?: string | undefined };
}) {
  const paused = props.room?.paused ?? false;
  const error = props.rate.error;
  return (
    <div class="room-controls">
      <form
        class="inline"
        method="post"
        action={`${props.base}/room/${paused ? 'resume' : 'pause'}`}
      >
        <button type="submit" class={paused ? '' : 'secondary'}>
          {paused ? 'Resume admission' : 'Pause admission'}
        </button>
        <span class="hint">
          {paused
            ? 'Buyers in line wait until you resume.'
            : 'Stops letting buyers in from the line; those already in keep shopping.'}
        </span>
      </form>
      <form method="post" action={`${props.base}/room/rate`}>
        <label for="room-rate">Admissions per minute</label>
        <p class="hint" id="room-rate-hint">
          Takes effect at once, and is saved with the event.
        </p>
        <div class="inline">
          <input
            id="room-rate"
            name="admitPerMinute"
            inputmode="numeric"
            value={props.rate.value}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'room-rate-hint room-rate-error' : 'room-rate-hint'}
          />
          <button type="submit" class="secondary">
            Change rate
          </button>
        </div>
        {error ? (
          <p class="field-error" id="room-rate-error">
            {error}
          </p>
        ) : null}
      </form>
    </div>
  );
}
