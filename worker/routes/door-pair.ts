import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env';
import { problem } from '../domain/errors';
import { redeemPairingCode } from '../door/pairing';
import { valid } from '../http/validate';
import { requestClientKey } from '../limits/client-key';

/**
 * `POST /api/v1/door/pair`: a phone exchanges a one-time pairing code for its device token.
 * Nobody is signed in here, so guessing is what to stop: 10 tries a minute per client address
 * (PAIR_LIMITER) against ~2^59 codes, each alive 10 minutes.
 */
export const doorPairRoutes = new Hono<AppEnv>();

const PAIR_PERIOD_SECONDS = 60;
const pairSchema = z.object({ code: z.string().min(1).max(64) }).strict();

doorPairRoutes.post('/', valid('json', pairSchema), async (c) => {
  c.header('cache-control', 'no-store');
  const { success } = await c.env.PAIR_LIMITER.limit({ key: requestClientKey(c) });
  if (!success) {
    throw problem('rate_limited', 'Too many pairing attempts from this address; wait a minute.', {
      retryAfterSeconds: PAIR_PERIOD_SECONDS,
    });
  }
  return c.json(await redeemPairingCode(c.get('db'), c.req.valid('json').code, Date.now()));
});
