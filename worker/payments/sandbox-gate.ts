import { eq } from 'drizzle-orm';
import { isDevelopment } from '../config';
import type { Db } from '../db/client';
import { events, orders } from '../db/schema';

/**
 * Fail closed: the sandbox lets a buyer mark their own order paid, so outside development it
 * serves (pay page, pay form, webhook) only an order that was placed in test mode for an
 * event that is still in test mode. Anything else looks like no payment at all (404).
 * Development serves every sandbox order, as it always did.
 */
export async function sandboxServesOrder(
  env: Env,
  db: Db,
  orderId: string | null,
): Promise<boolean> {
  if (isDevelopment(env)) return true;
  if (!orderId) return false;
  const row = await db
    .select({ orderTest: orders.testMode, eventTest: events.testMode })
    .from(orders)
    .innerJoin(events, eq(events.id, orders.eventId))
    .where(eq(orders.id, orderId))
    .get();
  return row?.orderTest === true && row.eventTest === true;
}
