import type { Context } from 'hono';

/** The token from `Authorization: Bearer …`, if any. */
export function bearerToken(c: Context): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
}

/** The token from `Authorization: Bearer …`, else from `?token=` (links in emails and pages). */
export function bearerOrQueryToken(c: Context): string | undefined {
  return bearerToken(c) ?? c.req.query('token') ?? undefined;
}

/** The origin buyers reach us on, for absolute links. */
export function publicOrigin(c: Context): string {
  return new URL(c.req.url).origin;
}
