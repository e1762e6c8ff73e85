import { type Context, Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { HoldView } from '../../durable-objects/inventory/types';
import type { AppEnv } from '../app-env';
import { type EventRecord, loadEvent } from '../catalog/event-record';
import { inventoryFor } from '../catalog/inventory';
import { storefrontEventView } from '../catalog/storefront-view';
import { AppError, notFound } from '../domain/errors';
import { eventIdOfHold, randomToken } from '../domain/ids';
import { priceItems } from '../domain/pricing';
import { publicOrigin } from '../http/bearer';
import { fieldErrors } from '../http/validate';
import { checkout } from '../orders/checkout';
import { loadOrder } from '../orders/order-record';
import { isOrderToken } from '../orders/order-token';
import { buyerOrderView, loadOrderForBuyer, loadTicketForBuyer } from '../orders/order-view';
import { CheckoutPage, HoldGonePage, type HoldGoneReason } from '../pages/checkout-page';
import { AppErrorPage } from '../pages/error-page';
import { EventPage } from '../pages/event-page';
import { chosenQuantities, holdErrorText } from '../pages/hold-form';
import { OrderPage } from '../pages/order-page';
import { TicketPage } from '../pages/ticket-page';
import { checkoutSchema } from './storefront/checkout';
import { holdFailure, holdItemsSchema } from './storefront/holds';

type PageContext = Context<AppEnv>;
type Status = 200 | 404 | 409 | 422;

/**
 * The hosted buyer pages: server-rendered, plain HTML forms, no client framework. Every step
 * of a purchase works without JavaScript. Mounted at `/`.
 */
export const pageRoutes = new Hono<AppEnv>();

// Domain errors become a friendly HTML page here, not problem+json; unknown errors go on to
// the app's onError (logged, bare 500).
pageRoutes.onError((error, c) => {
  if (!(error instanceof AppError)) throw error;
  return c.html(<AppErrorPage error={error} />, error.status);
});

/**
 * Our forms are posted from our own pages. A browser's cross-site post (CSRF: another site
 * making its visitors hold tickets) is refused; clients sending neither header are not
 * browsers, and could call the API directly anyway. Scoped to /e/*: this sub-app is mounted at /.
 */
pageRoutes.use('/e/*', async (c, next) => {
  if (c.req.method === 'POST') {
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    const crossSite = site
      ? site !== 'same-origin'
      : origin !== undefined && origin !== new URL(c.req.url).origin;
    if (crossSite) {
      throw new AppError(
        403,
        'forbidden',
        'Form sent from another site',
        'For your safety this form is only accepted from our own event page. Open the event page and try again.',
      );
    }
  }
  await next();
});

/** A published (or canceled) event by slug; drafts do not exist for buyers. */
async function publicEvent(c: PageContext, slug: string): Promise<EventRecord> {
  const record = await loadEvent(c.get('db'), slug);
  if (!record || record.event.status === 'draft') throw notFound('event');
  return record;
}

async function formFields(c: PageContext): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(
    Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** The event page, with fresh availability (after a refusal too: the numbers may have moved). */
async function renderEvent(
  c: PageContext,
  record: EventRecord,
  status: Status,
  notice?: { kind: 'info' | 'error'; text: string },
  selected?: ReadonlyMap<string, number>,
) {
  const now = Date.now();
  const snapshot = await inventoryFor(c.env, record.event.id).availability();
  const view = storefrontEventView(record, snapshot, now);
  return c.html(<EventPage event={view} now={now} notice={notice} selected={selected} />, status);
}

pageRoutes.get('/e/:slug', async (c) => {
  const record = await publicEvent(c, c.req.param('slug'));
  c.header('cache-control', 'public, max-age=1');
  const released = c.req.query('released') === '1';
  return renderEvent(
    c,
    record,
    200,
    released
      ? { kind: 'info', text: 'Your tickets were released. Choose again whenever you like.' }
      : undefined,
  );
});

/** The event page's form: hold what was chosen, then on to checkout (303, so a reload never re-posts). */
pageRoutes.post('/e/:slug/hold', async (c) => {
  const record = await publicEvent(c, c.req.param('slug'));
  const chosen = chosenQuantities(await formFields(c));
  const refuse = (status: Status, text: string) =>
    renderEvent(c, record, status, { kind: 'error', text }, chosen.selected);
  if (chosen.malformed) return refuse(422, 'Choose the number of tickets from the lists.');
  const parsed = holdItemsSchema.safeParse({ items: chosen.items });
  if (!parsed.success) {
    return refuse(
      422,
      chosen.items.length === 0
        ? 'Choose at least one ticket first.'
        : 'Some of the tickets you chose are not offered. Please choose again.',
    );
  }
  const { items } = parsed.data;
  const result = await inventoryFor(c.env, record.event.id).hold(items);
  if (!result.ok) {
    const error = holdFailure(result, items);
    if (error.status === 404) throw error;
    return refuse(
      error.status === 409 ? 409 : 422,
      holdErrorText(error, new Map(record.ticketTypes.map((t) => [t.id, t.name]))),
    );
  }
  return c.redirect(`/e/${record.event.slug}/checkout/${result.hold.holdId}`, 303);
});

/** The hold, if it belongs to this event. */
async function findHold(
  c: PageContext,
  record: EventRecord,
  holdId: string,
): Promise<HoldView | null> {
  if (eventIdOfHold(holdId) !== record.event.id) return null;
  return inventoryFor(c.env, record.event.id).getHold(holdId);
}

/**
 * The hold if it can still be checked out, else the answer to give: a message, or for a hold
 * already in checkout, the browser that started it (it has the cookie) goes to its order.
 */
async function liveHold(
  c: PageContext,
  record: EventRecord,
  holdId: string,
): Promise<HoldView | Response> {
  const hold = await findHold(c, record, holdId);
  const gone = (reason: HoldGoneReason, status: 404 | 409) =>
    c.html(
      <HoldGonePage
        reason={reason}
        eventSlug={record.event.slug}
        eventTitle={record.event.title}
      />,
      status,
    );
  if (!hold) return gone('unknown', 404);
  if (hold.orderId) {
    const token = getCookie(c, ORDER_COOKIE);
    if (token && (await isOrderToken(c.env, hold.orderId, token))) {
      return c.redirect(`/orders/${hold.orderId}?token=${encodeURIComponent(token)}`, 303);
    }
    return gone(
      hold.state === 'converted' ? 'bought' : hold.state === 'active' ? 'in_checkout' : 'expired',
      409,
    );
  }
  return hold.state === 'active' ? hold : gone('expired', 409);
}

const ORDER_COOKIE = 'tessera_order';
/** The hidden form key: random per render of the checkout page. */
const FORM_KEY = /^[0-9a-z]{20}$/;

/** Lets this browser find its way back from a checkout page to the order it created. */
function rememberOrder(c: PageContext, slug: string, holdId: string, orderToken: string): void {
  setCookie(c, ORDER_COOKIE, orderToken, {
    path: `/e/${slug}/checkout/${holdId}`,
    httpOnly: true,
    secure: new URL(c.req.url).protocol === 'https:',
    sameSite: 'Lax',
    maxAge: 24 * 60 * 60,
  });
}

interface BuyerForm {
  values: { name: string; email: string };
  errors: { name?: string | undefined; email?: string | undefined };
  notice?: string | undefined;
}

function renderCheckout(
  c: PageContext,
  record: EventRecord,
  hold: HoldView,
  form: BuyerForm,
  status: Status,
) {
  const { event } = record;
  const priced = priceItems(hold.items, record.ticketTypes);
  c.header('cache-control', 'private, no-store');
  return c.html(
    <CheckoutPage
      event={event}
      holdId={hold.holdId}
      expiresAt={hold.expiresAt}
      lines={priced.lines}
      totalMinor={priced.totalMinor}
      formKey={randomToken()}
      {...form}
    />,
    status,
  );
}

/** `buyer.name` / `buyer.email` field errors as the form's messages. */
function buyerErrors(errors: { path: string; message: string }[]): BuyerForm['errors'] {
  const find = (field: string) => errors.find((e) => e.path === `buyer.${field}`)?.message;
  return { name: find('name'), email: find('email') };
}

pageRoutes.get('/e/:slug/checkout/:holdId', async (c) => {
  const record = await publicEvent(c, c.req.param('slug'));
  const hold = await liveHold(c, record, c.req.param('holdId'));
  if (hold instanceof Response) return hold;
  return renderCheckout(c, record, hold, { values: { name: '', email: '' }, errors: {} }, 200);
});

/**
 * The buyer form. The Idempotency-Key comes from the form's hidden field, so submitting the
 * same rendered form twice (double click, resend after a timeout) answers the same order.
 */
pageRoutes.post('/e/:slug/checkout/:holdId', async (c) => {
  const record = await publicEvent(c, c.req.param('slug'));
  const holdId = c.req.param('holdId');
  const fields = await formFields(c);
  const values = { name: fields.name ?? '', email: (fields.email ?? '').trim() };
  const key = fields.key ?? '';
  const parsed = checkoutSchema.safeParse({ holdId, buyer: values });

  const showAgain = async (form: BuyerForm) => {
    const hold = await liveHold(c, record, holdId);
    return hold instanceof Response ? hold : renderCheckout(c, record, hold, form, 422);
  };
  if (!parsed.success) return showAgain({ values, errors: buyerErrors(fieldErrors(parsed.error)) });
  if (!FORM_KEY.test(key)) {
    return showAgain({
      values,
      errors: {},
      notice: 'Something went wrong with the form. Please send it again.',
    });
  }

  try {
    const ctx = { env: c.env, db: c.get('db'), origin: publicOrigin(c) };
    const { response } = await checkout(ctx, `page:${holdId}:${key}`, parsed.data);
    rememberOrder(c, record.event.slug, holdId, response.orderToken);
    return c.redirect(response.payment?.redirectUrl ?? response.orderUrl, 303);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // Expired, unknown, or already in checkout (maybe by this very form, changed): say which.
    const hold = await liveHold(c, record, holdId);
    if (hold instanceof Response) return hold;
    throw error;
  }
});

pageRoutes.post('/e/:slug/checkout/:holdId/release', async (c) => {
  const record = await publicEvent(c, c.req.param('slug'));
  const hold = await findHold(c, record, c.req.param('holdId'));
  // Only a hold nobody is paying for is let go from here; anything else just goes back.
  const result =
    hold && !hold.orderId
      ? await inventoryFor(c.env, record.event.id).releaseHold(hold.holdId)
      : null;
  const released = result?.ok === true && result.state === 'released';
  return c.redirect(`/e/${record.event.slug}${released ? '?released=1' : ''}`, 303);
});

/** A missing token reads as an unknown order: 404, never 401 (nothing to log in to here). */
function asNotFound(error: unknown): never {
  if (error instanceof AppError && error.code === 'unauthorized') throw notFound('page');
  throw error;
}

/** Order and ticket pages hold a secret in the URL: never cached, never sent on as a referrer. */
function privatePage(c: PageContext): void {
  c.header('cache-control', 'private, no-store');
  c.header('referrer-policy', 'no-referrer');
}

pageRoutes.get('/orders/:orderId', async (c) => {
  privatePage(c);
  const token = c.req.query('token') ?? '';
  const db = c.get('db');
  const record = await loadOrderForBuyer(
    c.env,
    db,
    c.req.param('orderId'),
    token || undefined,
  ).catch(asNotFound);
  const event = await loadEvent(db, record.order.eventId);
  if (!event) throw notFound('order');
  const view = buyerOrderView(record, publicOrigin(c), token);
  const { order } = record;
  const paymentUrl =
    order.status === 'pending_payment' && order.paymentProvider === 'sandbox' && order.paymentId
      ? `/sandbox/pay/${order.paymentId}`
      : null;
  return c.html(<OrderPage order={view} event={event.event} paymentUrl={paymentUrl} />);
});

pageRoutes.get('/tickets/:ticketId', async (c) => {
  privatePage(c);
  const token = c.req.query('token') ?? '';
  const db = c.get('db');
  const ticket = await loadTicketForBuyer(
    c.env,
    db,
    c.req.param('ticketId'),
    token || undefined,
  ).catch(asNotFound);
  const [event, order] = await Promise.all([
    loadEvent(db, ticket.eventId),
    loadOrder(db, ticket.orderId),
  ]);
  if (!event || !order) throw notFound('ticket');
  const typeName =
    order.lines.find((l) => l.ticketTypeId === ticket.ticketTypeId)?.name ??
    event.ticketTypes.find((t) => t.id === ticket.ticketTypeId)?.name ??
    'Ticket';
  return c.html(
    <TicketPage
      event={event.event}
      ticket={ticket}
      ticketTypeName={typeName}
      holderName={order.order.buyerName}
      orderUrl={`/orders/${order.order.id}?token=${encodeURIComponent(token)}`}
    />,
  );
});
