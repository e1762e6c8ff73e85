/**
 * Probes: the floor under the app, through the bench-only Worker (scripts/bench/workerd.mjs):
 * a bare Worker, an empty DO RPC, one SQL write in a DO, the EventInventory RPCs (availability,
 * hold) and a D1 point read, without the app's Hono stack.
 */
import { loadPhase } from '../load.mjs';
import { ticketTypeOf } from '../seed.mjs';

/**
 * @param {import('../load.mjs').PhaseContext} ctx
 * @param {import('../seed.mjs').BenchEvent} event
 * @returns {Promise<import('../load.mjs').Figure[]>}
 */
export async function probePhases(ctx, event) {
  const q = `event=${event.id}&type=${ticketTypeOf(event)}`;
  /** @type {[string, string, string, number][]} */
  const probes = [
    ['probe-hello', 'probe: bare Worker (no Hono)', '/__bench/hello', 200],
    ['probe-do-ping', 'probe: empty DO RPC (floor)', '/__bench/do-ping', 200],
    ['probe-do-write', 'probe: DO RPC + 1 SQL UPDATE', '/__bench/do-write', 200],
    ['probe-do-read', 'probe: DO availability() RPC', `/__bench/do-read?${q}`, 200],
    ['probe-do-hold', 'probe: DO hold() RPC, 1 ticket', `/__bench/do-hold?${q}`, 201],
    ['probe-d1-read', 'probe: D1 point read', `/__bench/d1-read?${q}`, 200],
  ];
  const figures = [];
  for (const [key, label, p, okStatus] of probes) {
    figures.push(
      await loadPhase({
        key,
        label,
        url: ctx.url(p),
        connections: ctx.connections,
        seconds: ctx.settings.shortSeconds,
        okStatus,
      }),
    );
  }
  return figures;
}
