import { DashboardLayout, type NavContext } from './layout';

export interface SessionRow {
  id: string;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
}

export function SessionsPage(props: {
  nav?: NavContext | undefined;
  currentId: string;
  sessions: SessionRow[];
}) {
  return (
    <DashboardLayout title="Sessions" nav={props.nav}>
      <h1>Your sessions</h1>
      <p>
        Devices signed in as you. Signing out everywhere ends all of them at once, this one too.
      </p>
      <div class="table-wrap">
        {/* On a phone each session is a block of labelled lines (styles.ts: .stack). */}
        <table class="stack">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {props.sessions.map((s) => (
              <tr>
                <td>
                  {s.userAgent ?? 'Unknown browser'}
                  {s.id === props.currentId ? <span class="badge">this device</span> : null}
                </td>
                <td data-label="Signed in">{s.createdAt.slice(0, 16).replace('T', ' ')} UTC</td>
                <td data-label="Last seen">{s.lastSeenAt.slice(0, 16).replace('T', ' ')} UTC</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form method="post" action="/dashboard/sessions/revoke-all" class="card">
        <button type="submit" class="danger">
          Sign out everywhere
        </button>
      </form>
    </DashboardLayout>
  );
}
