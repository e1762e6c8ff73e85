import { API_KEY_ROLES, ROLE_LABELS, type Role } from '../../access/roles';
import { AccessTable } from './access-table';
import { Field, type FormErrors, FormProblem, SelectField } from './form';
import { DashboardLayout, type NavContext } from './layout';
import { ScopeFields } from './scope-fields';

export interface KeyRow {
  id: string;
  name: string;
  role: Role;
  eventScope: string[] | null;
  prefix: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Revoked, or the button that revokes it. */
function KeyState(props: { row: KeyRow }) {
  const k = props.row;
  if (k.revokedAt) return <>Revoked</>;
  return (
    <form class="inline" method="post" action={`/dashboard/api-keys/${k.id}/revoke`}>
      <button type="submit" class="danger">
        Revoke {k.name}
      </button>
    </form>
  );
}

export function KeysPage(props: {
  nav: NavContext;
  keys: KeyRow[];
  events: { id: string; title: string }[];
  /** A key just created: shown this once. */
  created?: string | undefined;
  values?: { name?: string | undefined; role?: string | undefined } | undefined;
  errors?: FormErrors | undefined;
}) {
  return (
    <DashboardLayout title="API keys" nav={props.nav}>
      <h1>API keys</h1>
      <p>
        Keys call the organizer API (<span class="mono">Authorization: Bearer &lt;key&gt;</span>)
        with their role, limited to their events.
      </p>
      {props.created ? (
        <div class="notice ok" role="status">
          <p>Copy the key now: it is not shown again.</p>
          <p class="mono">
            <output>{props.created}</output>
          </p>
        </div>
      ) : null}
      <AccessTable
        nameHeading="Name"
        more={['Last used', 'State']}
        events={props.events}
        rows={props.keys.map((k) => ({
          name: (
            <>
              {k.name} <span class="mono small muted">{k.prefix ? `${k.prefix}…` : ''}</span>
            </>
          ),
          role: k.role,
          eventScope: k.eventScope,
          more: [
            {
              label: 'Last used',
              content: k.lastUsedAt
                ? `${k.lastUsedAt.slice(0, 16).replace('T', ' ')} UTC`
                : 'Never',
            },
            { label: k.revokedAt ? 'State' : undefined, content: <KeyState row={k} /> },
          ],
        }))}
      />
      <h2>Create a key</h2>
      <FormProblem errors={props.errors} />
      <form method="post" action="/dashboard/api-keys" class="card" novalidate>
        <Field name="name" label="Name" value={props.values?.name} errors={props.errors} required />
        <SelectField
          name="role"
          label="Role"
          options={API_KEY_ROLES.map((r) => [r, ROLE_LABELS[r]])}
          value={props.values?.role ?? 'admin'}
          errors={props.errors}
        />
        <ScopeFields events={props.events} errors={props.errors} idPrefix="key-event" />
        <p>
          <button type="submit">Create key</button>
        </p>
      </form>
    </DashboardLayout>
  );
}
