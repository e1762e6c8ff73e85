import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env';
import { notFound } from '../domain/errors';
import { publicOrigin } from '../http/bearer';
import { parseOrThrow } from '../http/validate';
import { activeProviderName, sandboxProvider } from '../payments';
import { receiveProviderEvent } from '../payments/intake';
import { SandboxPaymentPage } from '../views/sandbox-pay-page';

export const sandboxRoutes = new Hono<AppEnv>();

const outcomeSchema = z.object({ outcome: z.enum(['succeed', 'fail']) }).strict();

// The sandbox exists only where it is the active provider (never beside live Stripe).
sandboxRoutes.use('*', async (_c, next) => {
  if (activeProviderName(_c.env) !== 'sandbox') throw notFound('page');
  await next();
});

async function findPayment(c: Context<AppEnv>, paymentId: string) {
  const provider = sandboxProvider(c.env, c.get('db'), publicOrigin(c));
  const payment = await provider.find(paymentId);
  if (!payment) throw notFound('payment');
  return { provider, payment };
}

sandboxRoutes.get('/pay/:paymentId', async (c) => {
  const { payment } = await findPayment(c, c.req.param('paymentId'));
  // Whoever has this URL can settle the payment: no referrer to other sites. Not
  // `no-referrer`: the form's post would carry `Origin: null`, which the CORS check refuses.
  c.header('referrer-policy', 'same-origin');
  return c.html(<SandboxPaymentPage payment={payment} failed={c.req.query('failed') === '1'} />);
});

/**
 * The buyer's choice. JSON (`{"outcome"}`, answers 202) or the page's form (redirects back to
 * the order page). The provider's signed webhook goes through the same intake as a real one.
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
  if (isForm)
    return c.redirect(
      outcome === 'succeed' ? payment.returnUrl : `/sandbox/pay/${payment.id}?failed=1`,
      303,
    );
  return c.json(
    { paymentId: payment.id, outcome, status: outcome === 'succeed' ? 'succeeded' : 'failed' },
    202,
  );
});
