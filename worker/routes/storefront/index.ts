import { Hono } from 'hono';
import type { AppEnv } from '../../app-env';
import { checkoutRoutes } from './checkout';
import { storefrontEvents } from './events';
import { holdRoutes } from './holds';
import { buyerOrderRoutes } from './orders';
import { queueRoutes } from './queue';

/** The public buyer API under /api/v1. */
export const storefront = new Hono<AppEnv>()
  .route('/events', storefrontEvents)
  .route('/events', queueRoutes)
  .route('/', holdRoutes)
  .route('/', checkoutRoutes)
  .route('/', buyerOrderRoutes);
