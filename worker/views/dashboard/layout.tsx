import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { DASHBOARD_JS_PATH, HTMX_CONFIG, HTMX_PATH } from './scripts';
import { DASHBOARD_CSS_PATH } from './styles';

export type NavKey =
  | 'home'
  | 'events'
  | 'team'
  | 'keys'
  | 'sessions'
  | 'payouts'
  | 'reconciliation';

/** What the top bar shows when someone is signed in to a workspace. */
export interface NavContext {
  current: NavKey | null;
  workspaceId: string;
  workspaces: { id: string; name: string }[];
  email: string;
}

const LINKS: [NavKey, string, string][] = [
  ['home', 'Home', '/dashboard'],
  ['events', 'Events', '/dashboard/events'],
  ['team', 'Team', '/dashboard/team'],
  ['payouts', 'Payouts', '/dashboard/payouts'],
  ['keys', 'API keys', '/dashboard/api-keys'],
  ['sessions', 'Sessions', '/dashboard/sessions'],
  ['reconciliation', 'Reconciliation', '/dashboard/reconciliation'],
];

/** The one layout of the dashboard: top bar with navigation, workspace switcher, sign out. */
export function DashboardLayout(props: {
  title: string;
  nav?: NavContext | undefined;
  /** Enhancements this page uses (it works without them): htmx, the copy buttons. */
  scripts?: ('htmx' | 'dashboard')[] | undefined;
  children: Child;
}) {
  const scripts = props.scripts ?? [];
  const { nav } = props;
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>{`${props.title} · Tessera dashboard`}</title>
          <link rel="stylesheet" href={DASHBOARD_CSS_PATH} />
          {scripts.includes('htmx') ? (
            <>
              <meta name="htmx-config" content={HTMX_CONFIG} />
              <script src={HTMX_PATH} defer />
            </>
          ) : null}
          {scripts.includes('dashboard') ? <script src={DASHBOARD_JS_PATH} defer /> : null}
        </head>
        <body>
          <a class="skip" href="#main">
            Skip to content
          </a>
          <header class="top">
            <div class="bar">
              <span class="brand">Tessera</span>
              {nav ? (
                <>
                  <nav aria-label="Dashboard">
                    <ul>
                      {LINKS.map(([key, label, href]) => (
                        <li>
                          <a href={href} aria-current={nav.current === key ? 'page' : undefined}>
                            {label}
                          </a>
                        </li>
                      ))}
                    </ul>
                  </nav>
                  {nav.workspaces.length > 1 ? (
                    <form class="inline" method="post" action="/dashboard/workspaces/switch">
                      <label for="switch-workspace" class="small">
                        Workspace
                      </label>
                      <select id="switch-workspace" name="organizerId">
                        {nav.workspaces.map((w) => (
                          <option value={w.id} selected={w.id === nav.workspaceId}>
                            {w.name}
                          </option>
                        ))}
                      </select>
                      <button type="submit" class="secondary">
                        Switch
                      </button>
                    </form>
                  ) : null}
                  <form class="inline" method="post" action="/dashboard/sign-out">
                    <span class="small muted">{nav.email}</span>
                    <button type="submit" class="secondary">
                      Sign out
                    </button>
                  </form>
                </>
              ) : null}
            </div>
          </header>
          <main id="main">{props.children}</main>
        </body>
      </html>
    </>
  );
}
