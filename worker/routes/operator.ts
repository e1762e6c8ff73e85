import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import { auditInsert } from '../access/audit';
import type { AppEnv } from '../app-env';
import { optionalSetting } from '../config';
import { effectiveFee, feeOfRow, loadWorkspaceFee } from '../connect/fees';
import { MAX_PERCENT_BPS, type PlatformFee } from '../connect/platform-fee';
import type { Db } from '../db/client';
import { organizers, platformFees } from '../db/schema';
import { constantTimeEqual, sha256Hex } from '../domain/crypto';
import { notFound, problem, unauthorized, validationFailed } from '../domain/errors';
import { bearerToken } from '../http/bearer';
import { valid } from '../http/validate';
import { MIN_OPERATOR_KEY_LENGTH } from '../settings/checks';

/**
 * The platform operator's API, mounted at /api/v1/operator: the platform fee per workspace.
 * Organizers can not reach it (their keys and sessions are not the operator's key). Off
 * (503 `operator_api_not_configured`) until `OPERATOR_API_KEY` is set, 32+ characters.
 */
export const operatorRoutes = new Hono<AppEnv>();

const requireOperator = createMiddleware<AppEnv>(async (c, next) => {
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
});

operatorRoutes.use('*', requireOperator);

const minorAmount = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const feeBody = z
  .object({
    percentBps: z.number().int().min(0).max(MAX_PERCENT_BPS),
    fixedMinor: minorAmount,
    minMinor: minorAmount.default(0),
    maxMinor: minorAmount.nullable().default(null),
  })
  .strict();

const feePath = '/workspaces/:organizerId/platform-fee';

async function requireWorkspace(db: Db, id: string): Promise<void> {
  const row = await db
    .select({ id: organizers.id })
    .from(organizers)
    .where(eq(organizers.id, id))
    .get();
  if (!row) throw notFound('workspace');
}

const feeJson = (organizerId: string, fee: PlatformFee | null, source: string | null) => ({
  organizerId,
  source,
  ...(fee ?? { percentBps: null, fixedMinor: null, minMinor: null, maxMinor: null }),
});

operatorRoutes.get(feePath, async (c) => {
  const organizerId = c.req.param('organizerId');
  await requireWorkspace(c.get('db'), organizerId);
  const fee = effectiveFee(c.env, await loadWorkspaceFee(c.get('db'), organizerId));
  return c.json(feeJson(organizerId, fee?.fee ?? null, fee?.source ?? null));
});

operatorRoutes.put(feePath, valid('json', feeBody), async (c) => {
  const organizerId = c.req.param('organizerId');
  const fee: PlatformFee = c.req.valid('json');
  if (fee.maxMinor !== null && fee.maxMinor < fee.minMinor) {
    throw validationFailed([{ path: 'maxMinor', message: 'Must not be below minMinor' }]);
  }
  await requireWorkspace(c.get('db'), organizerId);
  const db = c.get('db');
  const before = await loadWorkspaceFee(db, organizerId);
  const updatedAt = new Date().toISOString();
  await db.batch([
    db
      .insert(platformFees)
      .values({ organizerId, ...fee, updatedAt })
      .onConflictDoUpdate({ target: platformFees.organizerId, set: { ...fee, updatedAt } }),
    auditInsert(db, {
      organizerId,
      actor: 'operator',
      action: 'platform_fee.set',
      subjectId: organizerId,
      before: before ? { ...feeOfRow(before) } : null,
      after: { ...fee },
    }),
  ]);
  return c.json(feeJson(organizerId, fee, 'workspace'));
});

/** Back to the deployment's default fee. */
operatorRoutes.delete(feePath, async (c) => {
  const organizerId = c.req.param('organizerId');
  await requireWorkspace(c.get('db'), organizerId);
  const db = c.get('db');
  const before = await loadWorkspaceFee(db, organizerId);
  if (before) {
    await db.batch([
      db.delete(platformFees).where(eq(platformFees.organizerId, organizerId)),
      auditInsert(db, {
        organizerId,
        actor: 'operator',
        action: 'platform_fee.reset',
        subjectId: organizerId,
        before: { ...feeOfRow(before) },
      }),
    ]);
  }
  const fee = effectiveFee(c.env, undefined);
  return c.json(feeJson(organizerId, fee?.fee ?? null, fee?.source ?? null));
});
