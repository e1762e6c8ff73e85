import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { requireAllowed } from '../../access/authorize';
import { loadOwnEvent } from '../../catalog/event-commands';
import { organizers } from '../../db/schema';
import type { DashboardEnv } from '../../middleware/dashboard-session';
import { listDifferences } from '../../reconciliation/differences';
import { fetchMissingFees } from '../../reconciliation/fees';
import { settlementOf } from '../../reconciliation/settlement';
import { settlementCsv } from '../../reconciliation/settlement-csv';
import { stripeLedger } from '../../reconciliation/stripe-ledger';
import { ReconciliationPage } from '../../views/dashboard/reconciliation-page';
import { SettlementPage } from '../../views/dashboard/settlement-page';
import { type DashboardContext, navFor } from './shared';

/** Rows the reconciliation page shows: open ones first, then the latest resolved. */
const PAGE_ROWS = 200;

/**
 * Money screens (`payout.read`: owner, admin, finance): the workspace's reconciliation
 * differences, and an event's settlement as a page and as CSV. A member limited to some
 * events sees the differences of those events only.
 */
export const reconciliationRoutes = new Hono<DashboardEnv>();

reconciliationRoutes.get('/reconciliation', async (c) => {
  const principal = c.get('principal');
  requireAllowed(principal, 'payout.read');
  const db = c.get('db');
  const [nav, rows, workspace] = await Promise.all([
    navFor(c, 'reconciliation'),
    listDifferences(db, { organizerId: principal.organizerId, limit: PAGE_ROWS }),
    db
      .select({ timezone: organizers.timezone })
      .from(organizers)
      .where(eq(organizers.id, principal.organizerId))
      .get(),
  ]);
  const scope = principal.eventScope;
  const visible =
    scope === null ? rows : rows.filter((r) => r.eventId && scope.includes(r.eventId));
  return c.html(
    <ReconciliationPage nav={nav} timezone={workspace?.timezone ?? 'UTC'} rows={visible} />,
  );
});

/** The event (this workspace's, within the member's scope) and its settlement. */
async function eventSettlement(c: DashboardContext, eventId: string) {
  const principal = c.get('principal');
  requireAllowed(principal, 'payout.read', { eventId });
  const db = c.get('db');
  const { event } = await loadOwnEvent(db, principal.organizerId, eventId);
  // Fees reconciliation has not stored yet are fetched now (a few per request).
  const ledger = stripeLedger(c.env);
  if (ledger) await fetchMissingFees(db, ledger, event.id);
  return { event, report: await settlementOf(db, event) };
}

reconciliationRoutes.get('/events/:eventId/settlement', async (c) => {
  const { event, report } = await eventSettlement(c, c.req.param('eventId'));
  return c.html(
    <SettlementPage
      nav={await navFor(c, 'events')}
      title={event.title}
      timezone={event.timezone}
      report={report}
    />,
  );
});

reconciliationRoutes.get('/events/:eventId/settlement.csv', async (c) => {
  const { event, report } = await eventSettlement(c, c.req.param('eventId'));
  return c.body(settlementCsv(report), 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="settlement-${event.slug}.csv"`,
  });
});
