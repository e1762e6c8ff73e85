import { Hono } from 'hono';
import type { AppEnv } from '../../app-env';
import { cachedAvailability } from '../../catalog/availability-cache';
import { loadEvent } from '../../catalog/event-record';
import { storefrontEventView } from '../../catalog/storefront-view';
import { notFound } from '../../domain/errors';

export const storefrontEvents = new Hono<AppEnv>();

/** Catalog from D1, availability from the event's Durable Object (up to 1 s old). Drafts are not public. */
storefrontEvents.get('/:eventIdOrSlug', async (c) => {
  const record = await loadEvent(c.get('db'), c.req.param('eventIdOrSlug'));
  if (!record || record.event.status === 'draft') throw notFound('event');
  const snapshot = await cachedAvailability(c.env, record.event.id);
  c.header('cache-control', 'public, max-age=1');
  return c.json(storefrontEventView(record, snapshot, Date.now()));
});
