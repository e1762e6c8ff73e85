import { type AppError, problem } from '../domain/errors';

/**
 * Request rate limits per client and event, through Workers rate limiting bindings
 * (`[[ratelimits]]` in wrangler.toml, which holds the numbers; docs/DESIGN.md "Limits" says
 * why they are what they are). A refusal is a 429 `rate_limited` problem whose
 * `retryAfterSeconds` also becomes the `Retry-After` header (worker/http/problem.ts).
 */

export interface RateRule {
  binding: 'HOLD_LIMITER' | 'CHECKOUT_LIMITER' | 'QUEUE_JOIN_LIMITER';
  /** The binding's period: the binding does not say when a window ends, so a full one. */
  periodSeconds: 10 | 60;
  /** What is being limited, for the problem's detail ("holds", "checkouts", ...). */
  what: string;
}

export const HOLD_RATE: RateRule = { binding: 'HOLD_LIMITER', periodSeconds: 60, what: 'holds' };
export const CHECKOUT_RATE: RateRule = {
  binding: 'CHECKOUT_LIMITER',
  periodSeconds: 60,
  what: 'checkouts',
};
export const JOIN_RATE: RateRule = {
  binding: 'QUEUE_JOIN_LIMITER',
  periodSeconds: 10,
  what: 'waiting-room joins',
};

/**
 * Counts one request of `clientKey` (worker/limits/client-key.ts) for `eventId` under `rule`;
 * once the client is over the limit for this period, the 429 `rate_limited` problem to give.
 */
export async function rateLimited(
  env: Env,
  rule: RateRule,
  eventId: string,
  clientKey: string,
): Promise<AppError | null> {
  const { success } = await env[rule.binding].limit({ key: `${eventId}:${clientKey}` });
  if (success) return null;
  return problem(
    'rate_limited',
    `Too many ${rule.what} from this address for this event; try again in ${rule.periodSeconds} seconds.`,
    { retryAfterSeconds: rule.periodSeconds },
  );
}

/** `rateLimited`, thrown. */
export async function limitOrThrow(
  env: Env,
  rule: RateRule,
  eventId: string,
  clientKey: string,
): Promise<void> {
  const refusal = await rateLimited(env, rule, eventId, clientKey);
  if (refusal) throw refusal;
}
