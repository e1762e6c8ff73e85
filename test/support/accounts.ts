import { env } from 'cloudflare:test';
import type { Role } from '../../worker/access/roles';
import { createDb } from '../../worker/db/client';
import { apiKeys } from '../../worker/db/schema';
import { sha256Hex } from '../../worker/domain/crypto';
import { newId, randomToken } from '../../worker/domain/ids';

/** An API key of an organizer with a role and an optional event scope, straight into D1. */
export async function createRoleKey(
  organizerId: string,
  role: Role,
  eventScope: string[] | null = null,
): Promise<Record<string, string>> {
  const key = `tsk_test_${randomToken(32)}`;
  await createDb(env.DB)
    .insert(apiKeys)
    .values({
      id: newId('key'),
      organizerId,
      keyHash: await sha256Hex(key),
      label: `${role} key`,
      role,
      eventScope,
    });
  return { authorization: `Bearer ${key}` };
}
