import { Field, type FormErrors, FormProblem } from './form';
import { DashboardLayout, type NavContext } from './layout';

export interface WorkspaceFormValues {
  name?: string | undefined;
  slug?: string | undefined;
  country?: string | undefined;
  currency?: string | undefined;
  timezone?: string | undefined;
}

export function NewWorkspacePage(props: {
  values: WorkspaceFormValues;
  errors?: FormErrors | undefined;
  nav?: NavContext | undefined;
}) {
  const { values, errors } = props;
  return (
    <DashboardLayout title="Create a workspace" nav={props.nav}>
      <h1>Create your workspace</h1>
      <p>A workspace is you as an organizer: your events, your team, your payouts.</p>
      <FormProblem errors={errors} />
      <form method="post" action="/dashboard/workspaces/new" class="card" novalidate>
        <Field name="name" label="Organizer name" value={values.name} errors={errors} required />
        <Field
          name="slug"
          label="Short name for addresses"
          hint="Lowercase letters, digits and dashes, e.g. night-owls"
          value={values.slug}
          errors={errors}
          required
        />
        <Field
          name="country"
          label="Country"
          hint="Two letters, e.g. DE"
          value={values.country}
          errors={errors}
          required
        />
        <Field
          name="currency"
          label="Currency"
          hint="Three letters, e.g. EUR"
          value={values.currency}
          errors={errors}
          required
        />
        <Field
          name="timezone"
          label="Time zone"
          hint="e.g. Europe/Berlin"
          value={values.timezone}
          errors={errors}
          required
        />
        <p>
          <button type="submit">Create workspace</button>
        </p>
      </form>
    </DashboardLayout>
  );
}

export function WorkspaceListPage(props: {
  workspaces: { id: string; name: string; role: string }[];
  canCreate: boolean;
  email: string;
}) {
  return (
    <DashboardLayout title="Your workspaces">
      <h1>Your workspaces</h1>
      <p class="muted">Signed in as {props.email}.</p>
      {props.workspaces.length === 0 ? (
        <p class="card">You are not a member of any workspace yet.</p>
      ) : (
        <ul>
          {props.workspaces.map((w) => (
            <li>
              <form class="inline" method="post" action="/dashboard/workspaces/switch">
                <input type="hidden" name="organizerId" value={w.id} />
                <button type="submit" class="secondary">
                  Open {w.name}
                </button>
                <span class="muted small">{w.role}</span>
              </form>
            </li>
          ))}
        </ul>
      )}
      {props.canCreate ? (
        <p>
          <a class="btn" href="/dashboard/workspaces/new">
            Create a workspace
          </a>
        </p>
      ) : null}
      <form method="post" action="/dashboard/sign-out">
        <button type="submit" class="secondary">
          Sign out
        </button>
      </form>
    </DashboardLayout>
  );
}
