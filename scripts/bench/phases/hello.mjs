/** hello-world: GET /healthz, the baseline every other figure is a ratio to. */
import { loadPhase } from '../load.mjs';

/**
 * Run first and, shorter, once more at the end: the two tell the drift of a noisy machine.
 * @param {import('../load.mjs').PhaseContext} ctx
 * @param {{ seconds: number, again: boolean }} run
 */
export function helloPhase(ctx, { seconds, again }) {
  return loadPhase({
    key: again ? 'hello-again' : 'hello',
    label: again ? 'hello-world again, at the end' : 'hello-world GET /healthz',
    url: ctx.url('/healthz'),
    connections: ctx.connections,
    seconds,
    okStatus: 200,
  });
}
