import { Hono } from 'hono';
import type { AppEnv } from '../../app-env';
import { checkoutPageRoutes } from './checkout';
import { eventPageRoutes } from './event';
import { orderPageRoutes } from './order';
import { queuePageRoutes } from './queue';
import { refuseCrossSitePosts, renderPageError } from './shared';

/**
 * The hosted buyer pages: server-rendered, plain HTML forms, no client framework. Every step
 * of a purchase works without JavaScript. Mounted at `/`, so the cross-site guard is scoped
 * to /e/* and /orders/* (where the forms post).
 */
export const pageRoutes = new Hono<AppEnv>()
  .onError(renderPageError)
  .use('/e/*', refuseCrossSitePosts)
  .use('/orders/*', refuseCrossSitePosts)
  .route('/', eventPageRoutes)
  .route('/', checkoutPageRoutes)
  .route('/', queuePageRoutes)
  .route('/', orderPageRoutes);
