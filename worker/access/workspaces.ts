import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { currencySchema, slugSchema, timezoneSchema } from '../catalog/event-input';
import type { Db } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { memberships, organizers, sessions } from '../db/schema';
import { validationFailed } from '../domain/errors';
import { newId } from '../domain/ids';
import { auditInsert } from './audit';
import type { Role } from './roles';

/** The workspace form (sign-up's second step): the same schema the API would validate with. */
export const workspaceSchema = z
  .object({
    name: z.string().trim().min(1, 'Enter a name').max(100, 'At most 100 characters'),
    slug: slugSchema,
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'Two letters (ISO 3166-1), e.g. DE'),
    currency: z.string().trim().toUpperCase().pipe(currencySchema),
    timezone: z.string().trim().pipe(timezoneSchema),
  })
  .strict();

export type WorkspaceInput = z.output<typeof workspaceSchema>;

/**
 * Creates the workspace with the person as its owner and opens it in their session, in one
 * batch. A taken slug is a field error.
 */
export async function createWorkspace(
  db: Db,
  owner: { personId: string; sessionId: string },
  input: WorkspaceInput,
): Promise<string> {
  const organizerId = newId('org');
  try {
    await db.batch([
      db.insert(organizers).values({ id: organizerId, ...input }),
      db.insert(memberships).values({
        id: newId('mem'),
        personId: owner.personId,
        organizerId,
        role: 'owner',
        eventScope: null,
      }),
      db.update(sessions).set({ organizerId }).where(eq(sessions.id, owner.sessionId)),
      auditInsert(db, {
        organizerId,
        actor: owner.personId,
        action: 'workspace.created',
        subjectId: organizerId,
        after: { ...input },
      }),
    ]);
  } catch (error) {
    if (isUniqueViolation(error, 'slug')) {
      throw validationFailed([{ path: 'slug', message: 'Another workspace uses this name' }]);
    }
    throw error;
  }
  return organizerId;
}

/** The workspaces a person belongs to, with their role in each. */
export async function workspacesOf(
  db: Db,
  personId: string,
): Promise<{ id: string; name: string; role: Role }[]> {
  return db
    .select({ id: organizers.id, name: organizers.name, role: memberships.role })
    .from(memberships)
    .innerJoin(organizers, eq(organizers.id, memberships.organizerId))
    .where(eq(memberships.personId, personId))
    .orderBy(organizers.name)
    .all();
}

/** What a new event of the workspace starts with: its time zone, currency and country. */
export async function workspaceDefaults(
  db: Db,
  organizerId: string,
): Promise<{ timezone: string | null; currency: string | null; country: string | null }> {
  const row = await db
    .select({
      timezone: organizers.timezone,
      currency: organizers.currency,
      country: organizers.country,
    })
    .from(organizers)
    .where(eq(organizers.id, organizerId))
    .get();
  return row ?? { timezone: null, currency: null, country: null };
}
