import { and, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { switchWorkspace } from '../../access/sessions';
import { createWorkspace, workspaceSchema, workspacesOf } from '../../access/workspaces';
import { signupMode } from '../../config';
import { memberships } from '../../db/schema';
import { AppError, notFound, problem } from '../../domain/errors';
import type { DashboardEnv } from '../../middleware/dashboard-session';
import { toFormErrors } from '../../views/dashboard/form';
import { NewWorkspacePage, WorkspaceListPage } from '../../views/dashboard/workspace-pages';
import { type DashboardContext, formFields, parseForm } from './shared';

/** The person's workspaces: list, create (sign-up's second step), switch. Session required. */
export const workspaceRoutes = new Hono<DashboardEnv>();

workspaceRoutes.get('/workspaces', async (c) => {
  const session = c.get('session');
  const list = await workspacesOf(c.get('db'), session.personId);
  // Straight to creating the first workspace after signing up.
  if (list.length === 0 && signupMode(c.env) === 'open') {
    return c.redirect('/dashboard/workspaces/new', 303);
  }
  return c.html(
    <WorkspaceListPage
      workspaces={list}
      canCreate={signupMode(c.env) === 'open'}
      email={session.email}
    />,
  );
});

function requireOpenSignup(c: DashboardContext): void {
  if (signupMode(c.env) !== 'open') {
    throw problem('forbidden', 'New workspaces are created by invitation only here.');
  }
}

workspaceRoutes.get('/workspaces/new', (c) => {
  requireOpenSignup(c);
  return c.html(<NewWorkspacePage values={{}} />);
});

workspaceRoutes.post('/workspaces/new', async (c) => {
  requireOpenSignup(c);
  const fields = await formFields(c);
  const values = Object.fromEntries(
    Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  const form = parseForm(workspaceSchema, values);
  if (!form.ok) return c.html(<NewWorkspacePage values={values} errors={form.errors} />, 422);
  const session = c.get('session');
  const { success } = await c.env.SIGN_IN_LIMITER.limit({ key: `workspace:${session.personId}` });
  if (!success) throw problem('rate_limited', 'Too many workspaces at once. Wait a minute.');
  try {
    await createWorkspace(
      c.get('db'),
      { personId: session.personId, sessionId: session.id },
      form.data,
    );
  } catch (error) {
    if (error instanceof AppError && error.code === 'validation_failed') {
      const errors = toFormErrors(
        (error.extra.errors ?? []) as { path: string; message: string }[],
      );
      return c.html(<NewWorkspacePage values={values} errors={errors} />, 422);
    }
    throw error;
  }
  return c.redirect('/dashboard', 303);
});

/** Opens another of the person's workspaces in this session; others are not found. */
workspaceRoutes.post('/workspaces/switch', async (c) => {
  const fields = await formFields(c);
  const organizerId = typeof fields.organizerId === 'string' ? fields.organizerId : '';
  const session = c.get('session');
  const db = c.get('db');
  const member = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(
      and(eq(memberships.personId, session.personId), eq(memberships.organizerId, organizerId)),
    )
    .get();
  if (!member) throw notFound('workspace');
  await switchWorkspace(db, session.id, organizerId);
  return c.redirect('/dashboard', 303);
});
