import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { apiKeys } from '../db/schema';
import { sha256Hex } from '../domain/crypto';
import { notFound } from '../domain/errors';
import { newId, randomToken } from '../domain/ids';
import { auditInsert } from './audit';
import { requireAllowed } from './authorize';
import type { Principal } from './principal';
import { API_KEY_ROLES } from './roles';
import { eventIdsField, resolveScope } from './scope-input';

export const apiKeySchema = z.object({
  name: z.string().trim().min(1, 'Give the key a name').max(100, 'At most 100 characters'),
  role: z.enum(API_KEY_ROLES, 'Pick a role'),
  eventIds: eventIdsField,
});

/**
 * A new key: shown once (returned here), stored as its SHA-256 with its role and scope. Only
 * its first characters are kept in clear, to tell keys apart in the list.
 */
export async function createApiKey(
  db: Db,
  principal: Principal & { kind: 'member' },
  input: z.output<typeof apiKeySchema>,
): Promise<string> {
  requireAllowed(principal, 'apikey.manage');
  const eventScope = await resolveScope(db, principal.organizerId, input.eventIds);
  const key = `tsk_live_${randomToken(32)}`;
  const id = newId('key');
  await db.batch([
    db.insert(apiKeys).values({
      id,
      organizerId: principal.organizerId,
      keyHash: await sha256Hex(key),
      label: input.name,
      role: input.role,
      eventScope,
      prefix: key.slice(0, 13),
      createdBy: principal.personId,
    }),
    auditInsert(db, {
      organizerId: principal.organizerId,
      actor: principal.personId,
      action: 'apikey.created',
      subjectId: id,
      after: { name: input.name, role: input.role, eventScope },
    }),
  ]);
  return key;
}

export async function revokeApiKey(
  db: Db,
  principal: Principal & { kind: 'member' },
  keyId: string,
): Promise<void> {
  requireAllowed(principal, 'apikey.manage');
  const revoked = await db
    .update(apiKeys)
    .set({ revokedAt: new Date().toISOString() })
    .where(
      and(
        eq(apiKeys.id, keyId),
        eq(apiKeys.organizerId, principal.organizerId),
        isNull(apiKeys.revokedAt),
      ),
    )
    .returning({ label: apiKeys.label, role: apiKeys.role });
  const row = revoked[0];
  if (!row) throw notFound('API key');
  await auditInsert(db, {
    organizerId: principal.organizerId,
    actor: principal.personId,
    action: 'apikey.revoked',
    subjectId: keyId,
    before: { name: row.label, role: row.role },
  }).run();
}

export async function apiKeysOf(db: Db, organizerId: string) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.label,
      role: apiKeys.role,
      eventScope: apiKeys.eventScope,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.organizerId, organizerId))
    .orderBy(desc(apiKeys.createdAt))
    .limit(200)
    .all();
}
