/** Holds: POST /api/v1/events/:id/holds, 1 ticket each, all on one event; only 201s count. */
import { newClient } from '../http.mjs';
import { loadPhase } from '../load.mjs';
import { ticketTypeOf } from '../seed.mjs';

/**
 * @param {import('../load.mjs').PhaseContext} ctx
 * @param {import('../seed.mjs').BenchEvent} event
 */
export function holdsPhase(ctx, event) {
  return loadPhase({
    key: 'holds',
    label: 'holds POST /events/:id/holds, 1 ticket',
    unit: 'holds/s',
    url: ctx.url(`/api/v1/events/${event.id}/holds`),
    method: 'POST',
    body: JSON.stringify({ items: [{ ticketTypeId: ticketTypeOf(event), quantity: 1 }] }),
    connections: ctx.connections,
    seconds: ctx.settings.seconds,
    okStatus: 201,
    // Every hold from a client of its own, so the per-client limits never answer instead.
    requests: [
      {
        /** @param {{ headers?: Record<string, string> }} req */
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, ...newClient() } }),
      },
    ],
  });
}
