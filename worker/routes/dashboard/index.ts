import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { dashboardHeaders } from '../../middleware/dashboard-headers';
import {
  type DashboardEnv,
  requireSession,
  requireWorkspace,
} from '../../middleware/dashboard-session';
import { DASHBOARD_JS, HTMX_SOURCE } from '../../views/dashboard/scripts';
import { DASHBOARD_CSS } from '../../views/dashboard/styles';
import { apiKeyRoutes } from './api-keys';
import { authRoutes } from './auth';
import { cancellationRoutes } from './cancellation';
import { deviceRoutes } from './devices';
import { doorConflictRoutes } from './door-conflicts';
import { doorDeviceRoutes } from './door-devices';
import { doorListRoutes } from './door-lists';
import { eventEditorRoutes } from './events';
import { homeRoutes } from './home';
import { orderRoutes } from './orders';
import { payoutRoutes } from './payouts';
import { previewRoutes } from './preview';
import { reconciliationRoutes } from './reconciliation';
import { roomRoutes } from './room';
import { sessionRoutes } from './sessions';
import { renderDashboardError } from './shared';
import { teamRoutes } from './team';
import { workspaceRoutes } from './workspaces';

/**
 * The organizer dashboard, mounted at /dashboard: server-rendered forms that post and
 * redirect. Every response gets the dashboard's security headers; every state-changing
 * request must come from our own origin (hono/csrf). Order matters: the public routes
 * (sign-in, the link's landing) answer before the session check, the workspace pages after it.
 */
/** A dashboard asset: its URL carries its content hash, so browsers keep it for a year. */
const asset = (type: string) => ({
  'content-type': `${type}; charset=utf-8`,
  'cache-control': 'public, max-age=31536000, immutable',
});

export const dashboard = new Hono<DashboardEnv>()
  .onError(renderDashboardError)
  .use('*', dashboardHeaders)
  .use('*', csrf())
  .get('/assets/dashboard.css', (c) => c.body(DASHBOARD_CSS, 200, asset('text/css')))
  .get('/assets/htmx.min.js', (c) => c.body(HTMX_SOURCE, 200, asset('text/javascript')))
  .get('/assets/dashboard.js', (c) => c.body(DASHBOARD_JS, 200, asset('text/javascript')))
  .route('/', authRoutes)
  .use('*', requireSession)
  .route('/', workspaceRoutes)
  .route('/', sessionRoutes)
  .use('*', requireWorkspace)
  .route('/', deviceRoutes)
  // Before homeRoutes: `/events/new` is not an event id.
  .route('/', eventEditorRoutes)
  .route('/', roomRoutes)
  .route('/', orderRoutes)
  .route('/', cancellationRoutes)
  .route('/', previewRoutes)
  .route('/', doorListRoutes)
  .route('/', doorDeviceRoutes)
  .route('/', doorConflictRoutes)
  .route('/', reconciliationRoutes)
  .route('/', homeRoutes)
  .route('/', teamRoutes)
  .route('/', apiKeyRoutes)
  .route('/', payoutRoutes);
