import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { auditInsert } from '../access/audit';
import type { AppEnv } from '../app-env';
import { effectiveFee, feeOfRow, loadWorkspaceFee } from '../connect/fees';
import { MAX_PERCENT_BPS, type PlatformFee } from '../connect/platform-fee';
import type { Db } from '../db/client';
import { organizers, platformFees, reconciliationDifferences } from '../db/schema';
import { notFound, validationFailed } from '../domain/errors';
import { requireOperator } from '../http/operator-auth';
import { valid } from '../http/validate';
import { differenceView, listDifferences, resolve } from '../reconciliation/differences';

/**
 * The platform operator's API, mounted at /api/v1/operator (docs/API.md "Operator API"): the
 * platform fee per workspace, and reconciliation's differences across every workspace.
 * Organizers can not reach it (their keys and sessions are not the operator's key). Off
 * (503 `operator_api_not_configured`) until `OPERATOR_API_KEY` is set, 32+ characters.
 */
export const operatorRoutes = new Hono<AppEnv>();

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

const KINDS = [
  'missed_payment_webhook',
  'unknown_payment_intent',
  'outside_refund',
  'amount_mismatch',
  'payment_status_mismatch',
  'ticket_count_drift',
] as const;
const STATUSES = ['open', 'fixed', 'ignored'] as const;

const listQuery = z
  .object({
    status: z.enum(STATUSES).optional(),
    kind: z.enum(KINDS).optional(),
    organizerId: z.string().min(1).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  })
  .strict();

operatorRoutes.get('/reconciliation', valid('query', listQuery), async (c) => {
  const query = c.req.valid('query');
  const rows = await listDifferences(c.get('db'), {
    organizerId: query.organizerId,
    statuses: query.status ? [query.status] : undefined,
    kind: query.kind,
    limit: query.limit + 1,
    offset: query.offset,
  });
  const more = rows.length > query.limit;
  return c.json({
    data: rows.slice(0, query.limit).map(differenceView),
    nextOffset: more ? query.offset + query.limit : null,
  });
});

const decision = z
  .object({
    status: z.enum(['ignored', 'open']),
    note: z.string().trim().min(1).max(500),
  })
  .strict();

operatorRoutes.post('/reconciliation/:differenceId', valid('json', decision), async (c) => {
  const db = c.get('db');
  const { status, note } = c.req.valid('json');
  const id = c.req.param('differenceId');
  const row = await db
    .select()
    .from(reconciliationDifferences)
    .where(eq(reconciliationDifferences.id, id))
    .get();
  if (!row) throw notFound('difference');
  const action = status === 'ignored' ? `Ignored by the operator: ${note}` : `Reopened: ${note}`;
  await resolve(db, id, status, action, new Date().toISOString());
  const updated = await db
    .select()
    .from(reconciliationDifferences)
    .where(eq(reconciliationDifferences.id, id))
    .get();
  return c.json(differenceView(updated ?? row));
});
