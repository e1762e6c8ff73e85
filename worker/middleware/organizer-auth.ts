import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Principal } from '../access/principal';
import type { AppEnv } from '../app-env';
import { isDevelopment, optionalSetting } from '../config';
import type { Db } from '../db/client';
import { apiKeys } from '../db/schema';
import { sha256Hex } from '../domain/crypto';
import { unauthorized } from '../domain/errors';
import { bearerToken } from '../http/bearer';

/**
 * `last_used_at` is kept to the hour: written on a key's first successful call and then at
 * most once an hour, so a busy key costs no D1 write per call.
 */
const LAST_USED_RESOLUTION_MS = 60 * 60_000;

/**
 * `Authorization: Bearer <api key>`. Keys are stored as SHA-256 (they are long random
 * strings, so a fast hash is enough). Outside development the dev key is refused even if a
 * row for it exists. The key becomes the request's principal (its role and event scope);
 * the routes call `requireAllowed` for their action. The dashboard's session cookie is never
 * read here.
 */
export const organizerAuth = createMiddleware<AppEnv>(async (c, next) => {
  const key = bearerToken(c);
  if (!key) throw unauthorized('Send an organizer API key as `Authorization: Bearer <key>`.');
  const devKey = optionalSetting(c.env, 'DEV_API_KEY');
  if (!isDevelopment(c.env) && (key === devKey || key === 'tsk_dev_demo')) {
    throw unauthorized('Development keys are only accepted in development.');
  }
  const db = c.get('db');
  const row = await db
    .select({
      id: apiKeys.id,
      organizerId: apiKeys.organizerId,
      role: apiKeys.role,
      eventScope: apiKeys.eventScope,
      lastUsedAt: apiKeys.lastUsedAt,
    })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, await sha256Hex(key)), isNull(apiKeys.revokedAt)))
    .get();
  if (!row) throw unauthorized('The API key is not valid.');
  const principal: Principal = {
    kind: 'api_key',
    organizerId: row.organizerId,
    role: row.role,
    eventScope: row.eventScope ?? null,
    keyId: row.id,
  };
  c.set('principal', principal);
  c.set('organizerId', row.organizerId);
  await next();
  // Last successful use: a refused call (bad input, 403) changes nothing, not even this.
  if (c.res.status < 400) await touchLastUsed(c, db, row.id, row.lastUsedAt);
});

async function touchLastUsed(c: Context<AppEnv>, db: Db, keyId: string, lastUsedAt: string | null) {
  const now = new Date();
  if (lastUsedAt && now.getTime() - Date.parse(lastUsedAt) <= LAST_USED_RESOLUTION_MS) return;
  const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS).toISOString();
  // Conditional, so concurrent calls of one key write it once.
  const touch = db
    .update(apiKeys)
    .set({ lastUsedAt: now.toISOString() })
    .where(
      and(eq(apiKeys.id, keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, stale))),
    )
    .run();
  const settled = touch.then(
    () => undefined,
    () => undefined,
  );
  // After the answer where the runtime allows it; inline when mounted without one (tests).
  if (hasExecutionContext(c)) c.executionCtx.waitUntil(settled);
  else await settled;
}

function hasExecutionContext(c: Context<AppEnv>): boolean {
  try {
    return c.executionCtx !== undefined;
  } catch {
    return false;
  }
}
