import { eq } from 'drizzle-orm';
import { isDevelopment } from '../config';
import type { Db } from '../db/client';
import { events, orders } from '../db/schema';

/**
 * Fail closed: the sandbox lets a buyer mark their own order paid, so outside development it
 * serves (pay page, pay form, webhook) only an order that was placed in test mode for an
 * event that is still in test mode. Anything else looks like no payment at all (404).
 * Development serves every sandbox order, as it always did.
 *
 * Null: not served here. Otherwise whether the order is a test-mode one (its page says TEST).
 */
export async function sandboxOrder(
  env: Env,
  db: Db,
  orderId: string | null,
): Promise<{ testMode: boolean } | null> {
  const row = orderId
    ? await db
        .select({ orderTest: orders.testMode, eventTest: events.testMode })
        .from(orders)
        .innerJoin(events, eq(events.id, orders.eventId))
        .where(eq(orders.id, orderId))
        .get()
    : undefined;
  if (isDevelopment(env)) return { testMode: row?.orderTest === true };
  return row?.orderTest === true && row.eventTest === true ? { testMode: true } : null;
}

export const sandboxServesOrder = async (
  env: Env,
  db: Db,
  orderId: string | null,
): Promise<boolean> => (await sandboxOrder(env, db, orderId)) !== null;
