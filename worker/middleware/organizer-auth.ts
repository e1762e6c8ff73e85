import { and, eq, isNull } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env';
import { isDevelopment, optionalSetting } from '../config';
import { apiKeys } from '../db/schema';
import { sha256Hex } from '../domain/crypto';
import { unauthorized } from '../domain/errors';
import { bearerToken } from '../http/bearer';

/**
 * `Authorization: Bearer <api key>`. Keys are stored as SHA-256 (they are long random
 * strings, so a fast hash is enough). Outside development the dev key is refused even if a
 * row for it exists.
 */
export const organizerAuth = createMiddleware<AppEnv>(async (c, next) => {
  const key = bearerToken(c);
  if (!key) throw unauthorized('Send an organizer API key as `Authorization: Bearer <key>`.');
  const devKey = optionalSetting(c.env, 'DEV_API_KEY');
  if (!isDevelopment(c.env) && (key === devKey || key === 'tsk_dev_demo')) {
    throw unauthorized('Development keys are only accepted in development.');
  }
  const row = await c
    .get('db')
    .select({ id: apiKeys.id, organizerId: apiKeys.organizerId })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, await sha256Hex(key)), isNull(apiKeys.revokedAt)))
    .get();
  if (!row) throw unauthorized('The API key is not valid.');
  c.set('organizerId', row.organizerId);
  c.set('apiKeyId', row.id);
  await next();
});
