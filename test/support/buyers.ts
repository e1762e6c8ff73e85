import { env } from 'cloudflare:test';
import { waitFor } from './api';
import { cookiePair, lastMailAt, page, postForm } from './dashboard';

/** "My tickets" from the buyer's side: ask for a link, read it from the outbox, open a session. */

/** A client address of its own per call: the per-client link limit counts no test against another. */
let clients = 0;
export function freshClient(): Record<string, string> {
  clients += 1;
  return { 'cf-connecting-ip': `203.0.${clients >> 8}.${clients & 255}` };
}

export function requestBuyerLink(email: string, headers: Record<string, string> = freshClient()) {
  return postForm('/my-tickets', { email }, { headers });
}

/** The newest "My tickets" link token mailed to `email` after `after`. */
export function mailedBuyerToken(email: string, after = ''): Promise<string> {
  return waitFor(async () => {
    const row = await env.DB.prepare(
      `SELECT text FROM mail_outbox WHERE to_address = ? AND created_at > ?
       ORDER BY created_at DESC LIMIT 1`,
    )
      .bind(email, after)
      .first<{ text: string }>();
    return row ? /\/my-tickets\/auth\?token=([0-9a-z]{32})/.exec(row.text)?.[1] : undefined;
  });
}

/** Email (as typed) -> link -> button: the buyer cookie of a fresh session. */
export async function openBuyerSession(typed: string, mailedTo = typed.trim().toLowerCase()) {
  const since = await lastMailAt(mailedTo);
  const asked = await requestBuyerLink(typed);
  if (asked.status !== 303) throw new Error(`my-tickets: ${asked.status}`);
  const token = await mailedBuyerToken(mailedTo, since);
  const landed = await postForm('/my-tickets/auth', { token });
  if (landed.status !== 303) throw new Error(`auth: ${landed.status}`);
  return { cookie: cookiePair(landed.setCookie), setCookie: landed.setCookie ?? '', token };
}

/** The "My tickets" page as the holder of `cookie` sees it. */
export function myTickets(cookie: string | null) {
  return page('/my-tickets', cookie);
}

export async function buyerLinkRows(email: string) {
  const { results } = await env.DB.prepare(
    'SELECT token_hash, purpose, used_at FROM magic_links WHERE email = ? ORDER BY created_at',
  )
    .bind(email)
    .all<{ token_hash: string; purpose: string; used_at: string | null }>();
  return results;
}
