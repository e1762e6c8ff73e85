import { and, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { isDevelopment, optionalSetting, signupMode } from '../config';
import type { MagicLinkMessage } from '../consumers/messages';
import type { Db } from '../db/client';
import { invitations, memberships, organizers, people } from '../db/schema';
import { newId } from '../domain/ids';
import { auditInsert } from './audit';
import { issueMagicLink, type MagicLinkRow } from './magic-links';

/** An email address as we store it: trimmed, lowercased. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'At most 254 characters')
  .pipe(z.email('Enter an email address, e.g. name@example.com'));

export const signInForm = z.object({ email: emailSchema });

/**
 * Magic-link requests per client address and per email address (SIGN_IN_LIMITER: 5 a minute
 * each). Both are counted on every request, so neither key can be used to probe the other.
 */
export async function withinSignInLimits(
  env: Env,
  clientKey: string,
  email: string,
): Promise<boolean> {
  const [client, address] = await Promise.all([
    env.SIGN_IN_LIMITER.limit({ key: `client:${clientKey}` }),
    env.SIGN_IN_LIMITER.limit({ key: `email:${email}` }),
  ]);
  return client.success && address.success;
}

/** The origin of links in mails: PUBLIC_ORIGIN, or the request's own in development. */
export function linkOrigin(env: Env, requestUrl: string): string {
  const configured = optionalSetting(env, 'PUBLIC_ORIGIN');
  if (configured) return new URL(configured).origin;
  if (isDevelopment(env)) return new URL(requestUrl).origin;
  throw new Error('PUBLIC_ORIGIN must be set outside development (links in emails).');
}

export function landingUrl(origin: string, token: string): string {
  return `${origin}/dashboard/auth?token=${token}`;
}

/**
 * Sends a sign-in link to a known address, a sign-up link to an unknown one when sign-up is
 * open, and nothing otherwise. The caller answers the same in every case (no enumeration).
 */
export async function sendSignInLink(env: Env, db: Db, email: string, origin: string) {
  const person = await db
    .select({ id: people.id })
    .from(people)
    .where(eq(people.email, email))
    .get();
  const purpose = person ? 'sign_in' : signupMode(env) === 'open' ? 'sign_up' : null;
  if (!purpose) return;
  const { token, tokenHash } = await issueMagicLink(db, { email, purpose });
  await enqueueLink(env, {
    linkId: tokenHash.slice(0, 24),
    to: email,
    purpose,
    url: landingUrl(origin, token),
  });
}

export async function enqueueLink(env: Env, link: Omit<MagicLinkMessage, 'kind'>): Promise<void> {
  await env.NOTIFICATIONS.send({ kind: 'magic_link', ...link } satisfies MagicLinkMessage);
}

/** Where a used link leads: the person, and the workspace to open (null: pick or create one). */
export interface SignedIn {
  personId: string;
  organizerId: string | null;
}

/** The person of a used link, created for sign-up and invitation links. */
export async function completeSignIn(db: Db, link: MagicLinkRow): Promise<SignedIn | null> {
  if (link.purpose === 'sign_in') {
    const person = await personByEmail(db, link.email);
    return person
      ? { personId: person.id, organizerId: await firstWorkspace(db, person.id) }
      : null;
  }
  if (link.purpose === 'sign_up') {
    const personId = await ensurePerson(db, link.email);
    return { personId, organizerId: await firstWorkspace(db, personId) };
  }
  return acceptInvitation(db, link);
}

async function personByEmail(db: Db, email: string) {
  return db.select({ id: people.id }).from(people).where(eq(people.email, email)).get();
}

async function ensurePerson(db: Db, email: string): Promise<string> {
  await db
    .insert(people)
    .values({ id: newId('per'), email })
    .onConflictDoNothing()
    .run();
  const person = await personByEmail(db, email);
  if (!person) throw new Error(`person ${email} vanished after insert`);
  return person.id;
}

async function firstWorkspace(db: Db, personId: string): Promise<string | null> {
  const row = await db
    .select({ organizerId: memberships.organizerId })
    .from(memberships)
    .where(eq(memberships.personId, personId))
    .orderBy(memberships.createdAt)
    .get();
  return row?.organizerId ?? null;
}

/**
 * Joins the invitation's workspace with its role. A person who is already a member keeps the
 * role they have (an invitation never demotes); the invitation is used either way.
 */
async function acceptInvitation(db: Db, link: MagicLinkRow): Promise<SignedIn | null> {
  if (!link.invitationId) return null;
  const now = new Date().toISOString();
  const invitation = await db
    .select()
    .from(invitations)
    .innerJoin(organizers, eq(organizers.id, invitations.organizerId))
    .where(
      and(
        eq(invitations.id, link.invitationId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    )
    .get();
  if (!invitation || invitation.invitations.email !== link.email) return null;
  const { id, organizerId, role, eventScope, invitedBy } = invitation.invitations;
  const personId = await ensurePerson(db, link.email);
  await db.batch([
    db
      .insert(memberships)
      .values({ id: newId('mem'), personId, organizerId, role, eventScope })
      .onConflictDoNothing(),
    db.update(invitations).set({ acceptedAt: now }).where(eq(invitations.id, id)),
    auditInsert(db, {
      organizerId,
      actor: personId,
      action: 'member.joined',
      subjectId: personId,
      after: { role, eventScope, invitationId: id, invitedBy },
    }),
  ]);
  return { personId, organizerId };
}
