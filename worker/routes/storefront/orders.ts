import { Hono } from 'hono';
import type { AppEnv } from '../../app-env';
import { bearerOrQueryToken, publicOrigin } from '../../http/bearer';
import { buyerOrderView, loadOrderForBuyer } from '../../orders/order-view';

export const buyerOrderRoutes = new Hono<AppEnv>();

/** Returning buyers reach their order with its token; this never passes a waiting room. */
buyerOrderRoutes.get('/orders/:orderId', async (c) => {
  const token = bearerOrQueryToken(c);
  const record = await loadOrderForBuyer(c.env, c.get('db'), c.req.param('orderId'), token);
  c.header('cache-control', 'private, no-store');
  return c.json(buyerOrderView(record, publicOrigin(c), token ?? ''));
});
