import { ROLE_LABELS, ROLES, type Role } from '../../access/roles';
import { AccessTable } from './access-table';
import { Field, type FormErrors, FormProblem, SelectField } from './form';
import { DashboardLayout, type NavContext } from './layout';
import { ScopeFields } from './scope-fields';

export interface TeamView {
  members: { id: string; email: string; role: Role; eventScope: string[] | null }[];
  pending: { id: string; email: string; role: Role; expiresAt: string }[];
}

const roleOptions = (): [string, string][] => ROLES.map((r) => [r, ROLE_LABELS[r]]);

type Member = TeamView['members'][number];

/** The server refuses to demote or remove the last owner: a workspace always keeps one. */
const isOnlyOwner = (team: TeamView, member: Member) =>
  member.role === 'owner' && team.members.filter((m) => m.role === 'owner').length === 1;

/** The role form and the Remove button of a member; for the only owner, why there are none. */
function MemberChanges(props: { member: Member; onlyOwner: boolean }) {
  const m = props.member;
  if (props.onlyOwner) {
    return (
      <p class="small muted">
        The only owner: make someone else owner first to change or remove {m.email}.
      </p>
    );
  }
  return (
    <>
      <form class="inline" method="post" action={`/dashboard/team/${m.id}/role`}>
        <label class="small" for={`role-${m.id}`}>
          Role of {m.email}
        </label>
        <select id={`role-${m.id}`} name="role">
          {roleOptions().map(([value, label]) => (
            <option value={value} selected={value === m.role}>
              {label}
            </option>
          ))}
        </select>
        {(m.eventScope ?? []).map((id) => (
          <input type="hidden" name="eventIds" value={id} />
        ))}
        <button type="submit" class="secondary">
          Save
        </button>
      </form>
      <form class="inline" method="post" action={`/dashboard/team/${m.id}/remove`}>
        <button type="submit" class="danger">
          Remove {m.email}
        </button>
      </form>
    </>
  );
}

export function TeamPage(props: {
  nav: NavContext;
  team: TeamView;
  events: { id: string; title: string }[];
  canManage: boolean;
  notice?: string | undefined;
  values?: { email?: string | undefined; role?: string | undefined } | undefined;
  errors?: FormErrors | undefined;
}) {
  const { team, events, canManage } = props;
  return (
    <DashboardLayout title="Team" nav={props.nav}>
      <h1>Team</h1>
      {props.notice ? (
        <p class="notice ok" role="status">
          {props.notice}
        </p>
      ) : null}
      <AccessTable
        nameHeading="Member"
        more={canManage ? ['Change'] : []}
        events={events}
        rows={team.members.map((m) => ({
          name: m.email,
          role: m.role,
          eventScope: m.eventScope,
          more: canManage
            ? [{ content: <MemberChanges member={m} onlyOwner={isOnlyOwner(team, m)} /> }]
            : [],
        }))}
      />
      {team.pending.length > 0 ? (
        <>
          <h2>Open invitations</h2>
          <ul>
            {team.pending.map((i) => (
              <li>
                {i.email} as {ROLE_LABELS[i.role]}, until {i.expiresAt.slice(0, 10)}
                {canManage ? (
                  <form
                    class="inline"
                    method="post"
                    action={`/dashboard/team/invitations/${i.id}/revoke`}
                  >
                    <button type="submit" class="secondary">
                      Withdraw
                    </button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {canManage ? (
        <>
          <h2>Invite someone</h2>
          <FormProblem errors={props.errors} />
          <form method="post" action="/dashboard/team/invite" class="card" novalidate>
            <Field
              name="email"
              label="Email address"
              type="email"
              value={props.values?.email}
              errors={props.errors}
              required
            />
            <SelectField
              name="role"
              label="Role"
              options={roleOptions()}
              value={props.values?.role ?? 'event_manager'}
              errors={props.errors}
            />
            <ScopeFields events={events} errors={props.errors} idPrefix="invite-event" />
            <p>
              <button type="submit">Send invitation</button>
            </p>
          </form>
        </>
      ) : null}
    </DashboardLayout>
  );
}
