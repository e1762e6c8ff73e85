import { Hono } from 'hono';
import type { AppEnv } from '../../app-env';
import type { EventRecord } from '../../catalog/event-record';
import { AppError } from '../../domain/errors';
import { requestClientKey } from '../../limits/client-key';
import { ErrorPage } from '../../views/error-page';
import { formatClock, formatInstant } from '../../views/format';
import { progressPercent, WaitingPage, waitingWords } from '../../views/waiting-page';
import { joinQueue, queueStatus, verifyAdmissionToken } from '../../waiting-room/service';
import { verifyQueueToken } from '../../waiting-room/tokens';
import type { QueueView } from '../../waiting-room/view';
import {
  forgetAdmissionCookie,
  forgetQueueCookies,
  readAdmissionCookie,
  readQueueCookie,
  storeAdmissionCookie,
  storeQueueCookie,
} from './queue-cookies';
import { type PageContext, publicEvent } from './shared';

/**
 * The hosted way through the waiting room: join (a plain form post), the waiting page and
 * its status JSON, and the hand-over to ticket selection once admitted. Tokens live in
 * HttpOnly cookies (queue-cookies.ts); the logic is the API's (worker/waiting-room/service.ts).
 */
export const queuePageRoutes = new Hono<AppEnv>();

const eventPath = (record: EventRecord) => `/e/${record.event.slug}`;

/** What the event page shows a buyer while the room is active. */
export interface QueueDoor {
  /** No admission: the door into the line, or the way back to the buyer's place in it. */
  queue?: 'join' | 'in_line';
  /** Admitted: until when the ticket form is theirs. */
  notice?: { kind: 'info'; text: string };
}

/**
 * What the event page offers a buyer while the room is active: the ticket form and until
 * when (a valid admission), the way back to their place (`in_line`), or the door (`join`).
 * Checks token signatures only: no Durable Object request.
 */
export async function queueDoor(c: PageContext, record: EventRecord): Promise<QueueDoor> {
  const { event } = record;
  const admission = await verifyAdmissionToken(c.env, event.id, readAdmissionCookie(c, event));
  if (admission.ok) {
    const until = new Date(admission.ticket.expiresAt * 1000).toISOString();
    const text = `You are through the waiting room: choose your tickets before ${formatClock(until, event.timezone)}.`;
    return { notice: { kind: 'info', text } };
  }
  const place = await verifyQueueToken(c.env, event.id, readQueueCookie(c, event));
  return { queue: place.ok ? 'in_line' : 'join' };
}

/**
 * Admitted: keep the admission and go choose tickets. Still waiting: to the waiting page, and
 * drop an admission cookie that can no longer be used (it would only be refused again).
 */
function goOn(c: PageContext, record: EventRecord, view: QueueView): Response {
  if (view.state === 'admitted') {
    if (view.admissionToken) {
      storeAdmissionCookie(c, record.event, view.admissionToken, view.admissionExpiresAt);
    }
    return c.redirect(eventPath(record), 303);
  }
  forgetAdmissionCookie(c, record.event);
  return c.redirect(`${eventPath(record)}/queue`, 303);
}

/**
 * Joins the line, or finds this browser's place again (a reload or a second click never
 * takes a second place), and sends the buyer on with a 303. Also where a hold refused for
 * want of an admission leads, so the buyer lands in line instead of on an error.
 */
export async function joinAndGo(c: PageContext, record: EventRecord): Promise<Response> {
  const { event } = record;
  try {
    const { view } = await joinQueue(c.env, c.executionCtx, {
      eventId: event.id,
      clientKey: requestClientKey(c),
      queueToken: readQueueCookie(c, event),
    });
    storeQueueCookie(c, event, view.queueToken);
    return goOn(c, record, view);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === 'waiting_room_off') return c.redirect(eventPath(record), 303);
    if (error.code !== 'queue_not_open') throw error;
    const opensAt = typeof error.extra.opensAt === 'string' ? error.extra.opensAt : null;
    return c.html(
      <ErrorPage
        title="The waiting room is not open yet"
        message={`${opensAt ? `It opens ${formatInstant(opensAt, event.timezone)}` : 'It opens shortly before sales start'}. Come back then: everyone who joins before sales open has the same chance.`}
        backHref={eventPath(record)}
        backLabel="Back to the event"
      />,
      409,
    );
  }
}

/**
 * Where this browser stands, from its queue cookie (no Durable Object request unless the
 * buyer has just reached the front). Null when it has no usable place: no cookie, a token
 * refused, or an admission that has ended; the cookies are then forgotten.
 */
async function standing(c: PageContext, record: EventRecord): Promise<QueueView | null> {
  const token = readQueueCookie(c, record.event);
  if (!token) return null;
  try {
    return await queueStatus(c.env, c.executionCtx, record.event.id, token);
  } catch (error) {
    if (!(error instanceof AppError) || error.status === 404) throw error;
    forgetQueueCookies(c, record.event);
    return null;
  }
}

queuePageRoutes.post('/e/:slug/queue', async (c) =>
  joinAndGo(c, await publicEvent(c, c.req.param('slug'))),
);

/** The waiting page; once admitted, straight on to ticket selection. */
queuePageRoutes.get('/e/:slug/queue', async (c) => {
  const record = await publicEvent(c, c.req.param('slug'));
  c.header('cache-control', 'private, no-store');
  const view = await standing(c, record);
  if (!view || view.state === 'admitted') {
    return view ? goOn(c, record, view) : c.redirect(eventPath(record), 303);
  }
  return c.html(<WaitingPage event={record.event} view={view} now={Date.now()} />);
});

/**
 * The waiting page's poll: its sentences and bar, or `next` (where to go) once admitted or
 * without a place. Never carries a token: those stay in HttpOnly cookies.
 */
queuePageRoutes.get('/e/:slug/queue/status.json', async (c) => {
  const record = await publicEvent(c, c.req.param('slug'));
  c.header('cache-control', 'private, no-store');
  const view = await standing(c, record);
  if (!view || view.state === 'admitted') {
    if (view?.admissionToken) {
      storeAdmissionCookie(c, record.event, view.admissionToken, view.admissionExpiresAt);
    }
    return c.json({ next: eventPath(record) });
  }
  return c.json({
    phase: view.phase,
    pollAfterSeconds: view.pollAfterSeconds,
    percent: progressPercent(view),
    ...waitingWords(view),
  });
});
