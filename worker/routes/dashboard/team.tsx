import { Hono } from 'hono';
import { authorize, requireAllowed } from '../../access/authorize';
import {
  changeMemberRole,
  inviteMember,
  inviteSchema,
  removeMember,
  revokeInvitation,
  roleChangeSchema,
  teamOf,
} from '../../access/members';
import { linkOrigin } from '../../access/sign-in';
import { problem } from '../../domain/errors';
import type { DashboardEnv } from '../../middleware/dashboard-session';
import type { FormErrors } from '../../views/dashboard/form';
import { TeamPage } from '../../views/dashboard/team-page';
import { accessPageData, submitForm } from './page-prelude';
import { type DashboardContext, memberPrincipal } from './shared';

/** Members, roles and invitations. Every change is in the audit log (worker/access/members.ts). */
export const teamRoutes = new Hono<DashboardEnv>();

async function renderTeam(
  c: DashboardContext,
  status: 200 | 422,
  extra: { notice?: string; values?: Record<string, string>; errors?: FormErrors } = {},
) {
  const { principal, nav, rows: team, events } = await accessPageData(c, 'team', teamOf);
  const canManage = authorize(principal, 'member.manage') === 'allow';
  return c.html(
    <TeamPage nav={nav} team={team} events={events} canManage={canManage} {...extra} />,
    status,
  );
}

teamRoutes.get('/team', async (c) => {
  requireAllowed(memberPrincipal(c), 'member.read');
  return renderTeam(c, 200, c.req.query('invited') ? { notice: 'Invitation sent.' } : {});
});

teamRoutes.post('/team/invite', async (c) => {
  const principal = memberPrincipal(c);
  requireAllowed(principal, 'member.manage');
  return submitForm(
    c,
    inviteSchema,
    (refused) => renderTeam(c, 422, refused),
    async (data) => {
      // Counted with the sign-in links to the same address: nobody's inbox is flooded either way.
      const { success } = await c.env.SIGN_IN_LIMITER.limit({ key: `email:${data.email}` });
      if (!success) throw problem('rate_limited', 'Too many mails to this address. Wait a minute.');
      await inviteMember(c.env, c.get('db'), principal, data, linkOrigin(c.env, c.req.url));
      return c.redirect('/dashboard/team?invited=1', 303);
    },
  );
});

teamRoutes.post('/team/invitations/:invitationId/revoke', async (c) => {
  await revokeInvitation(c.get('db'), memberPrincipal(c), c.req.param('invitationId'));
  return c.redirect('/dashboard/team', 303);
});

teamRoutes.post('/team/:memberId/role', async (c) => {
  const principal = memberPrincipal(c);
  requireAllowed(principal, 'member.manage');
  return submitForm(
    c,
    roleChangeSchema,
    // The invitation form below keeps its own (empty) fields.
    ({ errors }) => renderTeam(c, 422, { errors }),
    async (data) => {
      await changeMemberRole(c.get('db'), principal, c.req.param('memberId'), data);
      return c.redirect('/dashboard/team', 303);
    },
  );
});

teamRoutes.post('/team/:memberId/remove', async (c) => {
  await removeMember(c.get('db'), memberPrincipal(c), c.req.param('memberId'));
  return c.redirect('/dashboard/team', 303);
});
