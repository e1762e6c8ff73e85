import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env';
import { notFound } from '../domain/errors';
import { publicOrigin } from '../http/bearer';
import { parseOrThrow } from '../http/validate';
import { sandboxProvider } from '../payments';
import { receiveProviderEvent } from '../payments/intake';
import { sandboxPayUrl, sandboxReturnPath } from '../payments/sandbox';
import { sandboxOrder } from '../payments/sandbox-gate';
import { SandboxPaymentPage } from '../views/sandbox-pay-page';

export const sandboxRoutes = new Hono<AppEnv>();

const outcomeSchema = z.object({ outcome: z.enum(['succeed', 'fail']) }).strict();

/**
 * A sandbox payment this deployment serves: outside development only one of a test-mode
 * order of a test-mode event (payments/sandbox-gate.ts); anything else is a 404, as if the
 * payment did not exist. The page of a served payment says TEST.
 */
async function findPayment(c: Context<AppEnv>, paymentId: string) {
  const provider = sandboxProvider(c.env, c.get('db'), publicOrigin(c));
  const payment = await provider.find(paymentId);
  const order = payment ? await sandboxOrder(c.env, c.get('db'), payment.orderId) : null;
  if (!payment || !order) throw notFound('payment');
  // A test-mode order's payment page says TEST (middleware/payments-notice.ts).
  c.set('testMode', order.testMode);
  return { provider, payment };
}

/**
 * Where the buyer goes after paying: the `?return=` their own checkout answer put into the
 * redirect URL (it may hold the order token), only ever a path on this origin. Without it the
 * page links nowhere: a payment id alone never leads to the order.
 */
function returnPath(c: Context<AppEnv>): string | null {
  const value = c.req.query('return');
  return value ? sandboxReturnPath(value, publicOrigin(c)) : null;
}

function pathAndQuery(url: string): string {
  const { pathname, search } = new URL(url);
  return `${pathname}${search}`;
}

sandboxRoutes.get('/pay/:paymentId', async (c) => {
  const { payment } = await findPayment(c, c.req.param('paymentId'));
  // The URL may carry the order token (in `return`): never cached, no referrer to other sites.
  // Not `no-referrer`: the form's post would carry `Origin: null`, which the CORS check refuses.
  c.header('cache-control', 'private, no-store');
  c.header('referrer-policy', 'same-origin');
  const back = returnPath(c);
  return c.html(
    <SandboxPaymentPage
      payment={payment}
      failed={c.req.query('failed') === '1'}
      action={pathAndQuery(sandboxPayUrl(publicOrigin(c), payment.id, back ?? undefined))}
      returnPath={back}
    />,
  );
});

/**
 * The buyer's choice. JSON (`{"outcome"}`, answers 202) or the page's form (redirects to the
 * return path, else back to this page). The provider's signed webhook goes through the same
 * intake as a real one.
 */
sandboxRoutes.post('/pay/:paymentId', async (c) => {
  const isForm = (c.req.header('content-type') ?? '').startsWith(
    'application/x-www-form-urlencoded',
  );
  const body: unknown = isForm ? await c.req.parseBody() : await c.req.json().catch(() => null);
  const { outcome } = parseOrThrow(outcomeSchema, body);
  const { provider, payment } = await findPayment(c, c.req.param('paymentId'));
  const webhook = await provider.settle(payment, outcome);
  await receiveProviderEvent(c.env, c.get('db'), provider, webhook.body, webhook.signature);
  if (isForm) {
    c.header('referrer-policy', 'no-referrer');
    const back = returnPath(c);
    const origin = publicOrigin(c);
    if (outcome === 'succeed' && back) return c.redirect(new URL(back, origin).toString(), 303);
    const page = new URL(sandboxPayUrl(origin, payment.id, back ?? undefined));
    if (outcome === 'fail') page.searchParams.set('failed', '1');
    return c.redirect(pathAndQuery(page.toString()), 303);
  }
  return c.json(
    { paymentId: payment.id, outcome, status: outcome === 'succeed' ? 'succeeded' : 'failed' },
    202,
  );
});
