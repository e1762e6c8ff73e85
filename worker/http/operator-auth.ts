import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { optionalSetting } from '../config';
import { constantTimeEqual, sha256Hex } from '../domain/crypto';
import { problem, unauthorized } from '../domain/errors';
import { MIN_OPERATOR_KEY_LENGTH } from '../settings/checks';
import { bearerToken } from './bearer';

/**
 * The platform operator's routes (`/api/v1/operator/*`): `Authorization: Bearer` with the
 * `OPERATOR_API_KEY` secret. Fails closed: without the secret, or with one too short to be a
 * secret, every route answers 503 `operator_api_not_configured`; a missing or wrong key is 401.
 * Organizers' keys and sessions are never the operator's key.
 */
export const requireOperator: MiddlewareHandler<AppEnv> = async (c, next) => {
  const key = optionalSetting(c.env, 'OPERATOR_API_KEY');
  if (!key || key.length < MIN_OPERATOR_KEY_LENGTH) {
    throw problem('operator_api_not_configured', 'The operator API is off on this deployment.');
  }
  const given = bearerToken(c);
  // Digests have one length: the comparison leaks neither the key's length nor where it differs.
  if (!given || !constantTimeEqual(await sha256Hex(given), await sha256Hex(key))) {
    throw unauthorized('Missing or invalid operator key.');
  }
  await next();
};
