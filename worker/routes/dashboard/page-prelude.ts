import type { ZodType, z } from 'zod';
import { scopeChoices } from '../../access/scope-input';
import type { Db } from '../../db/client';
import type { FormErrors } from '../../views/dashboard/form';
import type { NavKey } from '../../views/dashboard/layout';
import {
  type DashboardContext,
  domainFieldErrors,
  formFields,
  memberPrincipal,
  navFor,
  parseForm,
  textValues,
} from './shared';

/**
 * What a page about access (team, API keys) loads: the member, the top bar, its own rows of
 * the workspace, and the events a scope may name.
 */
export async function accessPageData<T>(
  c: DashboardContext,
  section: NavKey,
  load: (db: Db, organizerId: string) => Promise<T>,
) {
  const principal = memberPrincipal(c);
  const db = c.get('db');
  const [nav, rows, events] = await Promise.all([
    navFor(c, section),
    load(db, principal.organizerId),
    scopeChoices(db, principal.organizerId),
  ]);
  return { principal, nav, rows, events };
}

/** What a page shows again after a refused form: the typed text and the errors per field. */
export interface Refused {
  values: Record<string, string>;
  errors: FormErrors;
}

/**
 * A form post: the fields checked with `schema` (the API's), then `apply`. A bad form, or a
 * domain refusal that names fields, shows the page again through `refuse` (422); any other
 * refusal goes on to the dashboard's error page.
 */
export async function submitForm<T extends ZodType>(
  c: DashboardContext,
  schema: T,
  refuse: (refused: Refused) => Promise<Response>,
  apply: (data: z.output<T>) => Promise<Response>,
): Promise<Response> {
  const fields = await formFields(c);
  const values = textValues(fields);
  const form = parseForm(schema, fields);
  if (!form.ok) return refuse({ values, errors: form.errors });
  try {
    return await apply(form.data);
  } catch (error) {
    const errors = domainFieldErrors(error);
    if (errors) return refuse({ values, errors });
    throw error;
  }
}
