import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { receiveConnectEvent } from '../connect/webhook';
import { notFound } from '../domain/errors';
import { publicOrigin } from '../http/bearer';
import { paymentProvider } from '../payments';
import { receiveProviderEvent } from '../payments/intake';
import { sandboxServesOrder } from '../payments/sandbox-gate';

export const webhookRoutes = new Hono<AppEnv>();

/**
 * Stripe Connect: the organizers' accounts (`account.updated`) and their payouts, on an
 * endpoint and secret of their own (worker/connect/webhook.ts). 200 for a replay too.
 */
webhookRoutes.post('/stripe/connect', async (c) => {
  const result = await receiveConnectEvent(
    c.env,
    c.get('db'),
    await c.req.text(),
    c.req.header('stripe-signature') ?? null,
  );
  return c.json({ received: true, result });
});

/**
 * Provider webhooks: 400 on a bad signature, 200 fast otherwise (also for a replay). Each
 * provider settles the orders that used it. Outside development the sandbox's events count
 * only for test-mode orders of test-mode events; every other one is refused (404), unrecorded.
 */
webhookRoutes.post('/:provider{stripe|sandbox}', async (c) => {
  const name = c.req.param('provider') as 'stripe' | 'sandbox';
  const provider = paymentProvider(c.env, c.get('db'), publicOrigin(c), name);
  if (!provider) throw notFound('webhook endpoint');
  const result = await receiveProviderEvent(
    c.env,
    c.get('db'),
    provider,
    await c.req.text(),
    c.req.header('stripe-signature') ?? null,
    name === 'sandbox'
      ? (event) => sandboxServesOrder(c.env, c.get('db'), event.orderId)
      : undefined,
  );
  return c.json({ received: true, result });
});
