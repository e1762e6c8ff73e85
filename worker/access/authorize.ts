import { notFound, problem } from '../domain/errors';
import type { Principal } from './principal';
import { type Action, ROLE_ACTIONS, WORKSPACE_WIDE_ACTIONS } from './roles';

export type Decision = 'allow' | 'forbidden' | 'not_found';

export interface Resource {
  /** The event the action touches; absent for workspace-level actions and lists. */
  eventId?: string | undefined;
}

/**
 * The one authorization function for the dashboard, the organizer API and the door.
 * An event outside the principal's scope is `not_found` whatever the action (never reveal
 * that it exists); otherwise the role decides. Lists without an event are allowed by role
 * and filtered by `visibleEvents` at the query.
 */
export function authorize(principal: Principal, action: Action, resource: Resource = {}): Decision {
  const scope = principal.eventScope;
  if (resource.eventId !== undefined && scope !== null && !scope.includes(resource.eventId)) {
    return 'not_found';
  }
  if (!ROLE_ACTIONS[principal.role].has(action)) return 'forbidden';
  if (scope !== null && WORKSPACE_WIDE_ACTIONS.has(action)) return 'forbidden';
  return 'allow';
}

/** `authorize`, throwing the problem a route answers: 404 `not_found` or 403 `forbidden`. */
export function requireAllowed(
  principal: Principal,
  action: Action,
  resource: Resource = {},
): void {
  const decision = authorize(principal, action, resource);
  if (decision === 'not_found') throw notFound('event');
  if (decision === 'forbidden') {
    throw problem('forbidden', `Your role may not do this (${action}).`, { action });
  }
}

/** The events a list may show: null for all of the workspace's events. */
export function visibleEvents(principal: Principal): readonly string[] | null {
  return principal.eventScope;
}
