import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { createMiddleware } from 'hono/factory';
import { consumeMagicLink, isMagicLinkToken } from '../access/magic-links';
import { emailSchema, linkOrigin } from '../access/sign-in';
import { sendBuyerLink, withinBuyerLinkLimits } from '../buyers/buyer-links';
import { listBuyerOrders, splitByTime } from '../buyers/buyer-orders';
import { createBuyerSession, revokeBuyerSession } from '../buyers/buyer-sessions';
import { requestClientKey } from '../limits/client-key';
import {
  type BuyerEnv,
  clearBuyerCookie,
  readBuyerSession,
  setBuyerCookie,
} from '../middleware/buyer-session';
import {
  CheckEmailPage,
  ConfirmLinkPage,
  LinkInvalidPage,
  MyTicketsPage,
  RequestLinkPage,
} from '../views/my-tickets-page';
import { formFields, renderPageError } from './pages/shared';

/** Seconds a client over the link limit is asked to wait: the limiter's period. */
const LINK_RETRY_AFTER_SECONDS = 60;

/**
 * Every answer here is private: the landing's URL carries a link token, the list carries
 * order tokens in its links. Nothing is cached; no referrer leaves (forms still pass
 * hono/csrf by `Sec-Fetch-Site: same-origin`, which browsers send without a referrer).
 */
const privatePage = createMiddleware<BuyerEnv>(async (c, next) => {
  await next();
  c.header('cache-control', 'private, no-store');
  c.header('referrer-policy', 'no-referrer');
});

/**
 * "My tickets", mounted at /my-tickets: a buyer asks for a magic link by email, the link
 * opens a short buyer session, the session lists every order placed with that address.
 * Buyer sessions are their own table and cookie: they never open the dashboard.
 */
export const myTicketsRoutes = new Hono<BuyerEnv>()
  .onError(renderPageError)
  .use('*', privatePage)
  .use('*', csrf())
  .use('*', readBuyerSession);

myTicketsRoutes.get('/', async (c) => {
  const buyer = c.get('buyer');
  if (!buyer) {
    const notice =
      c.req.query('signed-out') === '1'
        ? { kind: 'info' as const, text: 'You are signed out on this device.' }
        : undefined;
    return c.html(<RequestLinkPage notice={notice} />);
  }
  const { orders, more } = await listBuyerOrders(c.env, c.get('db'), buyer.email);
  const { upcoming, past } = splitByTime(orders, Date.now());
  return c.html(<MyTicketsPage email={buyer.email} upcoming={upcoming} past={past} more={more} />);
});

/**
 * The email form. Known and unknown addresses get the same answer (a redirect to "check your
 * email") in the same time: the lookup and the mail run after the answer.
 */
myTicketsRoutes.post('/', async (c) => {
  const fields = await formFields(c);
  const given = fields.email ?? '';
  const parsed = emailSchema.safeParse(given);
  if (!parsed.success) {
    const error = parsed.error.issues[0]?.message ?? 'Enter an email address.';
    return c.html(<RequestLinkPage email={given.slice(0, 254)} error={error} />, 422);
  }
  const email = parsed.data;
  if (!(await withinBuyerLinkLimits(c.env, requestClientKey(c), email))) {
    c.header('retry-after', String(LINK_RETRY_AFTER_SECONDS));
    const text = 'Too many links were asked for just now. Please wait a minute and try again.';
    return c.html(<RequestLinkPage email={email} notice={{ kind: 'error', text }} />, 429);
  }
  const origin = linkOrigin(c.env, c.req.url);
  c.executionCtx.waitUntil(
    sendBuyerLink(c.env, c.get('db'), email, origin).catch((error: unknown) => {
      console.error(
        JSON.stringify({
          level: 'error',
          message: 'buyer_link_failed',
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    }),
  );
  return c.redirect('/my-tickets/check-email', 303);
});

myTicketsRoutes.get('/check-email', (c) => c.html(<CheckEmailPage />));

/** The link in the mail. Opening it uses nothing; its button does. */
myTicketsRoutes.get('/auth', (c) => {
  const token = c.req.query('token') ?? '';
  if (!isMagicLinkToken(token)) return c.html(<LinkInvalidPage />, 400);
  return c.html(<ConfirmLinkPage token={token} />);
});

/**
 * Uses the link (only a `buyer` link: a dashboard link is refused here and left unused) and
 * opens a buyer session for its address. A session already in this browser is ended first:
 * one browser, one buyer.
 */
myTicketsRoutes.post('/auth', async (c) => {
  const fields = await formFields(c);
  const db = c.get('db');
  const link = await consumeMagicLink(db, fields.token ?? '', ['buyer']);
  if (!link) return c.html(<LinkInvalidPage />, 400);
  const previous = c.get('buyer');
  if (previous) await revokeBuyerSession(db, previous.id);
  const session = await createBuyerSession(db, link.email);
  await setBuyerCookie(c, c.env, session.id, session.expiresAt);
  return c.redirect('/my-tickets', 303);
});

myTicketsRoutes.post('/sign-out', async (c) => {
  const buyer = c.get('buyer');
  if (buyer) await revokeBuyerSession(c.get('db'), buyer.id);
  clearBuyerCookie(c);
  return c.redirect('/my-tickets?signed-out=1', 303);
});
