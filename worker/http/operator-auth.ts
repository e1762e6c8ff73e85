import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { optionalSetting } from '../config';
import { constantTimeEqual, sha256Hex } from '../domain/crypto';
import { notFound, problem } from '../domain/errors';
import { MIN_HMAC_SECRET_LENGTH } from '../settings/checks';
import { bearerToken } from './bearer';

/** A shorter operator key is treated as unset: a guessable key must not open these routes. */
export const OPERATOR_KEY_MIN_LENGTH = MIN_HMAC_SECRET_LENGTH;

/**
 * The platform operator's routes (`/api/v1/operator/*`): `Authorization: Bearer` with the
 * `OPERATOR_API_KEY` secret. Fails closed: without the secret (or with one too short to be
 * a secret) the routes answer 404, as if they did not exist; a missing or wrong key is 401.
 * The comparison is of SHA-256 digests in constant time, so timing says nothing of the key.
 */
export const requireOperator: MiddlewareHandler<AppEnv> = async (c, next) => {
  const key = optionalSetting(c.env, 'OPERATOR_API_KEY');
  if (!key || key.length < OPERATOR_KEY_MIN_LENGTH) throw notFound('route');
  const given = bearerToken(c);
  const [expected, actual] = await Promise.all([sha256Hex(key), sha256Hex(given ?? '')]);
  if (!given || !constantTimeEqual(expected, actual)) {
    throw problem('unauthorized', 'The operator key is missing or wrong.');
  }
  await next();
};
