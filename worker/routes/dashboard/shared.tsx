import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodType, z } from 'zod';
import type { Principal } from '../../access/principal';
import { workspacesOf } from '../../access/workspaces';
import { AppError, type FieldError } from '../../domain/errors';
import { fieldErrors } from '../../http/validate';
import type { DashboardEnv } from '../../middleware/dashboard-session';
import { MessagePage } from '../../views/dashboard/auth-pages';
import { type FormErrors, toFormErrors } from '../../views/dashboard/form';
import type { NavContext, NavKey } from '../../views/dashboard/layout';

export type DashboardContext = Context<DashboardEnv>;

/** The posted form's text fields; anything that is not a form reads as an empty one. */
export async function formFields(c: DashboardContext): Promise<Record<string, string | string[]>> {
  const body = await c.req.parseBody({ all: true });
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') out[name] = value;
    else if (Array.isArray(value))
      out[name] = value.filter((v): v is string => typeof v === 'string');
  }
  return out;
}

/** A form checked with the same zod schema the API uses: the data, or errors per field. */
export function parseForm<T extends ZodType>(
  schema: T,
  fields: unknown,
): { ok: true; data: z.output<T> } | { ok: false; errors: FormErrors } {
  const result = schema.safeParse(fields);
  return result.success
    ? { ok: true, data: result.data }
    : { ok: false, errors: toFormErrors(fieldErrors(result.error)) };
}

/** The top bar of a page inside a workspace. */
export async function navFor(c: DashboardContext, current: NavKey | null): Promise<NavContext> {
  const session = c.get('session');
  return {
    current,
    workspaceId: c.get('organizerId'),
    workspaces: await workspacesOf(c.get('db'), session.personId),
    email: session.email,
  };
}

const TITLES: Record<number, string> = {
  400: 'That did not work',
  403: 'Not allowed',
  404: 'Page not found',
  409: 'That did not work',
  422: 'Please check your input',
  429: 'Too many requests',
};

/**
 * The dashboard's `onError`: domain problems and hono's refusals (a cross-site form is 403)
 * become a page with their status; anything else goes on to the app's handler (500).
 */
export const renderDashboardError: ErrorHandler<DashboardEnv> = (error, c) => {
  if (error instanceof AppError) {
    const message =
      error.status === 404 ? 'We could not find this page in your workspace.' : error.detail;
    return c.html(
      <MessagePage
        title={TITLES[error.status] ?? 'That did not work'}
        message={message}
        link={['/dashboard', 'Back to the dashboard']}
      />,
      error.status,
    );
  }
  if (error instanceof HTTPException && error.status === 403) {
    return c.html(
      <MessagePage
        title="Form sent from another site"
        message="For your safety, dashboard forms are only accepted from the dashboard itself. Open the dashboard and try again."
        link={['/dashboard', 'Open the dashboard']}
      />,
      403,
    );
  }
  if (error instanceof HTTPException && error.status < 500) {
    return c.html(<MessagePage title="That did not work" message={error.message} />, error.status);
  }
  throw error;
};

/** The dashboard's principal: always a member (API keys never reach these routes). */
export function memberPrincipal(c: DashboardContext): Principal & { kind: 'member' } {
  const principal = c.get('principal');
  if (principal.kind !== 'member') throw new Error('dashboard route without a member session');
  return principal;
}

/** Field errors of a domain `validation_failed` (e.g. an event id of another workspace). */
export function domainFieldErrors(error: unknown): FormErrors | null {
  if (!(error instanceof AppError) || error.code !== 'validation_failed') return null;
  const list = Array.isArray(error.extra.errors) ? (error.extra.errors as FieldError[]) : [];
  return toFormErrors(list);
}

/** Only text fields (single values) of a form, to echo back into inputs. */
export function textValues(fields: Record<string, string | string[]>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}
