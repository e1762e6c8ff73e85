/** Event reads: GET /api/v1/events/:slug (the D1 catalog and the DO's availability). */
import { loadPhase } from '../load.mjs';

/**
 * @param {import('../load.mjs').PhaseContext} ctx
 * @param {import('../seed.mjs').BenchEvent} event
 */
export function readsPhase(ctx, event) {
  return loadPhase({
    key: 'reads',
    label: 'event reads GET /api/v1/events/:slug',
    url: ctx.url(`/api/v1/events/${event.slug}`),
    connections: ctx.connections,
    seconds: ctx.settings.seconds,
    okStatus: 200,
  });
}
