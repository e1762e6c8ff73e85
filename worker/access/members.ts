import { and, eq, isNull, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { invitations, memberships, organizers, people } from '../db/schema';
import { notFound, problem } from '../domain/errors';
import { newId } from '../domain/ids';
import { auditInsert } from './audit';
import { requireAllowed } from './authorize';
import { issueMagicLink } from './magic-links';
import type { Principal } from './principal';
import { ROLES, type Role } from './roles';
import { eventIdsField, resolveScope } from './scope-input';
import { emailSchema, enqueueLink, landingUrl } from './sign-in';

/** An invitation (and its link) lasts a week. */
export const INVITATION_DAYS = 7;

export const inviteSchema = z.object({
  email: emailSchema,
  role: z.enum(ROLES, 'Pick a role'),
  eventIds: eventIdsField,
});

export const roleChangeSchema = z.object({
  role: z.enum(ROLES, 'Pick a role'),
  eventIds: eventIdsField,
});

/** Granting, changing or removing an owner is for owners only ("admin: all but ownership"). */
function requireRoleGrant(principal: Principal, ...roles: Role[]): void {
  requireAllowed(principal, 'member.manage');
  if (roles.includes('owner')) requireAllowed(principal, 'ownership.manage');
}

export async function inviteMember(
  env: Env,
  db: Db,
  principal: Principal & { kind: 'member' },
  input: z.output<typeof inviteSchema>,
  origin: string,
): Promise<void> {
  requireRoleGrant(principal, input.role);
  const eventScope = await resolveScope(db, principal.organizerId, input.eventIds);
  const id = newId('inv');
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
  await db.batch([
    db.insert(invitations).values({
      id,
      organizerId: principal.organizerId,
      email: input.email,
      role: input.role,
      eventScope,
      invitedBy: principal.personId,
      expiresAt: expiresAt.toISOString(),
    }),
    auditInsert(db, {
      organizerId: principal.organizerId,
      actor: principal.personId,
      action: 'member.invited',
      subjectId: id,
      after: { email: input.email, role: input.role, eventScope },
    }),
  ]);
  const { token, tokenHash } = await issueMagicLink(
    db,
    { email: input.email, purpose: 'invite', invitationId: id },
    new Date(),
    INVITATION_DAYS * 24 * 60,
  );
  const workspace = await db
    .select({ name: organizers.name })
    .from(organizers)
    .where(eq(organizers.id, principal.organizerId))
    .get();
  await enqueueLink(env, {
    linkId: tokenHash.slice(0, 24),
    to: input.email,
    purpose: 'invite',
    url: landingUrl(origin, token),
    workspaceName: workspace?.name,
  });
}

async function loadMember(db: Db, organizerId: string, memberId: string) {
  const row = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.id, memberId), eq(memberships.organizerId, organizerId)))
    .get();
  if (!row) throw notFound('member');
  return row;
}

const lastOwner = () =>
  problem('invalid_state', 'A workspace always keeps an owner: make someone else owner first.');

/** True when the member is not an owner or another owner remains: checked in the write itself. */
const notLastOwner = (organizerId: string) =>
  or(
    ne(memberships.role, 'owner'),
    sql`(select count(*) from ${memberships} where ${memberships.organizerId} = ${organizerId} and ${memberships.role} = 'owner') > 1`,
  );

export async function changeMemberRole(
  db: Db,
  principal: Principal & { kind: 'member' },
  memberId: string,
  input: z.output<typeof roleChangeSchema>,
): Promise<void> {
  const current = await loadMember(db, principal.organizerId, memberId);
  requireRoleGrant(principal, current.role, input.role);
  const eventScope =
    input.role === 'owner' ? null : await resolveScope(db, principal.organizerId, input.eventIds);
  const demotesOwner = current.role === 'owner' && input.role !== 'owner';
  const changed = await db
    .update(memberships)
    .set({ role: input.role, eventScope })
    .where(
      and(
        eq(memberships.id, memberId),
        demotesOwner ? notLastOwner(principal.organizerId) : undefined,
      ),
    )
    .returning({ id: memberships.id });
  if (changed.length === 0) throw lastOwner();
  await auditInsert(db, {
    organizerId: principal.organizerId,
    actor: principal.personId,
    action: 'member.role_changed',
    subjectId: current.personId,
    before: { role: current.role, eventScope: current.eventScope ?? null },
    after: { role: input.role, eventScope },
  }).run();
}

export async function removeMember(
  db: Db,
  principal: Principal & { kind: 'member' },
  memberId: string,
): Promise<void> {
  const current = await loadMember(db, principal.organizerId, memberId);
  requireRoleGrant(principal, current.role);
  const removed = await db
    .delete(memberships)
    .where(and(eq(memberships.id, memberId), notLastOwner(principal.organizerId)))
    .returning({ id: memberships.id });
  if (removed.length === 0) throw lastOwner();
  await auditInsert(db, {
    organizerId: principal.organizerId,
    actor: principal.personId,
    action: 'member.removed',
    subjectId: current.personId,
    before: { role: current.role, eventScope: current.eventScope ?? null },
  }).run();
}

export async function revokeInvitation(
  db: Db,
  principal: Principal & { kind: 'member' },
  invitationId: string,
): Promise<void> {
  requireAllowed(principal, 'member.manage');
  const revoked = await db
    .update(invitations)
    .set({ revokedAt: new Date().toISOString() })
    .where(
      and(
        eq(invitations.id, invitationId),
        eq(invitations.organizerId, principal.organizerId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    )
    .returning({ id: invitations.id, email: invitations.email, role: invitations.role });
  const row = revoked[0];
  if (!row) throw notFound('invitation');
  await auditInsert(db, {
    organizerId: principal.organizerId,
    actor: principal.personId,
    action: 'member.invitation_revoked',
    subjectId: row.id,
    before: { email: row.email, role: row.role },
  }).run();
}

/** Members and open invitations of the workspace, for the team page. */
export async function teamOf(db: Db, organizerId: string) {
  const [members, pending] = await db.batch([
    db
      .select({
        id: memberships.id,
        personId: memberships.personId,
        email: people.email,
        role: memberships.role,
        eventScope: memberships.eventScope,
      })
      .from(memberships)
      .innerJoin(people, eq(people.id, memberships.personId))
      .where(eq(memberships.organizerId, organizerId))
      .orderBy(people.email),
    db
      .select({
        id: invitations.id,
        email: invitations.email,
        role: invitations.role,
        expiresAt: invitations.expiresAt,
      })
      .from(invitations)
      .where(
        and(
          eq(invitations.organizerId, organizerId),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      )
      .orderBy(invitations.createdAt),
  ]);
  return { members, pending };
}
