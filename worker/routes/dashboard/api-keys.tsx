import { Hono } from 'hono';
import { apiKeySchema, apiKeysOf, createApiKey, revokeApiKey } from '../../access/api-keys';
import { requireAllowed } from '../../access/authorize';
import { scopeChoices } from '../../access/scope-input';
import type { DashboardEnv } from '../../middleware/dashboard-session';
import type { FormErrors } from '../../views/dashboard/form';
import { KeysPage } from '../../views/dashboard/keys-page';
import {
  type DashboardContext,
  domainFieldErrors,
  formFields,
  memberPrincipal,
  navFor,
  parseForm,
  textValues,
} from './shared';

/** API keys: create (shown once), list with last use, revoke. */
export const apiKeyRoutes = new Hono<DashboardEnv>();

async function renderKeys(
  c: DashboardContext,
  status: 200 | 201 | 422,
  extra: { created?: string; values?: Record<string, string>; errors?: FormErrors } = {},
) {
  const principal = memberPrincipal(c);
  const db = c.get('db');
  const [nav, keys, events] = await Promise.all([
    navFor(c, 'keys'),
    apiKeysOf(db, principal.organizerId),
    scopeChoices(db, principal.organizerId),
  ]);
  return c.html(<KeysPage nav={nav} keys={keys} events={events} {...extra} />, status);
}

apiKeyRoutes.get('/api-keys', async (c) => {
  requireAllowed(memberPrincipal(c), 'apikey.manage');
  return renderKeys(c, 200);
});

/** Answers with the page itself (not a redirect): the new key is in this one answer only. */
apiKeyRoutes.post('/api-keys', async (c) => {
  const principal = memberPrincipal(c);
  requireAllowed(principal, 'apikey.manage');
  const fields = await formFields(c);
  const form = parseForm(apiKeySchema, fields);
  if (!form.ok) return renderKeys(c, 422, { values: textValues(fields), errors: form.errors });
  try {
    const created = await createApiKey(c.get('db'), principal, form.data);
    return renderKeys(c, 201, { created });
  } catch (error) {
    const errors = domainFieldErrors(error);
    if (errors) return renderKeys(c, 422, { values: textValues(fields), errors });
    throw error;
  }
});

apiKeyRoutes.post('/api-keys/:keyId/revoke', async (c) => {
  await revokeApiKey(c.get('db'), memberPrincipal(c), c.req.param('keyId'));
  return c.redirect('/dashboard/api-keys', 303);
});
