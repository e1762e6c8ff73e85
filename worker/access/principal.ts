import type { Role } from './roles';

/**
 * Who is asking, resolved once per request: a member signed in to the dashboard or an API
 * key. `eventScope` null means every event of the workspace; a list limits the principal to
 * those events.
 */
export type Principal =
  | {
      kind: 'member';
      organizerId: string;
      role: Role;
      eventScope: readonly string[] | null;
      personId: string;
      sessionId: string;
    }
  | {
      kind: 'api_key';
      organizerId: string;
      role: Role;
      eventScope: readonly string[] | null;
      keyId: string;
    };

/** The audit log's "who": the person or the key. */
export function actorOf(principal: Principal): string {
  return principal.kind === 'member' ? principal.personId : principal.keyId;
}
