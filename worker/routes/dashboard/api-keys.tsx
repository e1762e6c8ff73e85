import { Hono } from 'hono';
import { apiKeySchema, apiKeysOf, createApiKey, revokeApiKey } from '../../access/api-keys';
import { requireAllowed } from '../../access/authorize';
import type { DashboardEnv } from '../../middleware/dashboard-session';
import type { FormErrors } from '../../views/dashboard/form';
import { KeysPage } from '../../views/dashboard/keys-page';
import { accessPageData, submitForm } from './page-prelude';
import { type DashboardContext, memberPrincipal } from './shared';

/** API keys: create (shown once), list with last use, revoke. */
export const apiKeyRoutes = new Hono<DashboardEnv>();

async function renderKeys(
  c: DashboardContext,
  status: 200 | 201 | 422,
  extra: { created?: string; values?: Record<string, string>; errors?: FormErrors } = {},
) {
  const { nav, rows, events } = await accessPageData(c, 'keys', apiKeysOf);
  return c.html(<KeysPage nav={nav} keys={rows} events={events} {...extra} />, status);
}

apiKeyRoutes.get('/api-keys', async (c) => {
  requireAllowed(memberPrincipal(c), 'apikey.manage');
  return renderKeys(c, 200);
});

/** Answers with the page itself (not a redirect): the new key is in this one answer only. */
apiKeyRoutes.post('/api-keys', async (c) => {
  const principal = memberPrincipal(c);
  requireAllowed(principal, 'apikey.manage');
  return submitForm(
    c,
    apiKeySchema,
    (refused) => renderKeys(c, 422, refused),
    async (data) =>
      renderKeys(c, 201, { created: await createApiKey(c.get('db'), principal, data) }),
  );
});

apiKeyRoutes.post('/api-keys/:keyId/revoke', async (c) => {
  await revokeApiKey(c.get('db'), memberPrincipal(c), c.req.param('keyId'));
  return c.redirect('/dashboard/api-keys', 303);
});
