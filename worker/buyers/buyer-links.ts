import { and, ne, sql } from 'drizzle-orm';
import { issueMagicLink } from '../access/magic-links';
import { enqueueLink } from '../access/sign-in';
import type { Db } from '../db/client';
import { orders } from '../db/schema';

/**
 * "My tickets" links: a buyer proves an email address by a magic link (the dashboard's
 * machinery: hashed token, 15 minutes, single use), with its own purpose `buyer`, so the
 * link opens a buyer session and never the dashboard.
 */

/** Where the mailed link leads: a page with a button (mail scanners open links; they do not press). */
export function buyerLandingUrl(origin: string, token: string): string {
  return `${origin}/my-tickets/auth?token=${token}`;
}

/**
 * Link requests per client and per address (BUYER_LINK_LIMITER: 5 a minute each). Both keys
 * are counted on every request, so neither can be used to probe the other, and one client
 * sending 1000 a second is answered 429 from the sixth on without a D1 read or a mail.
 */
export async function withinBuyerLinkLimits(
  env: Env,
  clientKey: string,
  email: string,
): Promise<boolean> {
  const [client, address] = await Promise.all([
    env.BUYER_LINK_LIMITER.limit({ key: `client:${clientKey}` }),
    env.BUYER_LINK_LIMITER.limit({ key: `email:${email}` }),
  ]);
  return client.success && address.success;
}

/** Orders a buyer sees in "My tickets": every one but the abandoned (expired) checkouts. */
export const listedOrderStatus = ne(orders.status, 'expired');

/** The address as orders were placed with it, in any case: served by `orders_buyer_email_lower`. */
export const placedWith = (email: string) => sql`lower(${orders.buyerEmail}) = ${email}`;

/**
 * Mails a link to `email` (already normalised: trimmed, lowercased) when orders were placed
 * with it; to any other address nothing is sent (nobody can use us to mail strangers). The
 * caller answers the same either way, before this runs.
 */
export async function sendBuyerLink(env: Env, db: Db, email: string, origin: string) {
  const placed = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(placedWith(email), listedOrderStatus))
    .limit(1)
    .get();
  if (!placed) return;
  const { token, tokenHash } = await issueMagicLink(db, { email, purpose: 'buyer' });
  await enqueueLink(env, {
    linkId: tokenHash.slice(0, 24),
    to: email,
    purpose: 'buyer',
    url: buyerLandingUrl(origin, token),
  });
}
