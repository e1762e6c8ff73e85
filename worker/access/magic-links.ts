import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { type MagicLinkPurpose, magicLinks } from '../db/schema';
import { sha256Hex } from '../domain/crypto';
import { randomToken } from '../domain/ids';

/** A link lives 15 minutes and works once. */
export const MAGIC_LINK_MINUTES = 15;

/** 32 characters of base32: 160 random bits. */
const TOKEN = /^[0-9a-z]{32}$/;

export type MagicLinkRow = typeof magicLinks.$inferSelect;

/** Stores the hash of a fresh token and returns the token (it is only ever in the mail). */
export async function issueMagicLink(
  db: Db,
  link: { email: string; purpose: MagicLinkPurpose; invitationId?: string | undefined },
  now = new Date(),
  /** Invitations live longer than sign-in links (members.ts). */
  ttlMinutes = MAGIC_LINK_MINUTES,
): Promise<{ token: string; tokenHash: string }> {
  const token = randomToken(32);
  const tokenHash = await sha256Hex(token);
  await db.insert(magicLinks).values({
    tokenHash,
    email: link.email,
    purpose: link.purpose,
    invitationId: link.invitationId ?? null,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ttlMinutes * 60_000).toISOString(),
  });
  return { token, tokenHash };
}

/** The purposes the dashboard's landing accepts; a buyer's link is not among them. */
export const MEMBER_LINK_PURPOSES: readonly MagicLinkPurpose[] = ['sign_in', 'sign_up', 'invite'];

/**
 * Uses a link: one conditional UPDATE (unused, unexpired, of one of `purposes`) marks it used
 * and returns it, so two clicks racing each other get it once. Null for a wrong, used or
 * expired token, and for a link of another purpose (left unused: a buyer's link posted to the
 * dashboard's landing neither signs anyone in nor burns the link).
 */
export async function consumeMagicLink(
  db: Db,
  token: string,
  purposes: readonly MagicLinkPurpose[] = MEMBER_LINK_PURPOSES,
): Promise<MagicLinkRow | null> {
  if (!TOKEN.test(token)) return null;
  const now = new Date().toISOString();
  const rows = await db
    .update(magicLinks)
    .set({ usedAt: now })
    .where(
      and(
        eq(magicLinks.tokenHash, await sha256Hex(token)),
        isNull(magicLinks.usedAt),
        gt(magicLinks.expiresAt, now),
        inArray(magicLinks.purpose, [...purposes]),
      ),
    )
    .returning();
  return rows[0] ?? null;
}

export function isMagicLinkToken(value: string): boolean {
  return TOKEN.test(value);
}
