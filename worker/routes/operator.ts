import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env';
import { reconciliationDifferences } from '../db/schema';
import { notFound } from '../domain/errors';
import { requireOperator } from '../http/operator-auth';
import { valid } from '../http/validate';
import { differenceView, listDifferences, resolve } from '../reconciliation/differences';

/**
 * The platform operator's JSON routes (docs/API.md "Operator"), behind `OPERATOR_API_KEY`:
 * reconciliation's differences across every workspace, and marking one ignored (or open
 * again) with a note.
 */
export const operatorRoutes = new Hono<AppEnv>().use('*', requireOperator);

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
