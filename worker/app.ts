import { Hono } from 'hono';
import type { AppEnv } from './app-env';
import { handleError, notFoundHandler } from './http/problem';
import { bodyLimits } from './middleware/body-limits';
import { paymentsNotice } from './middleware/payments-notice';
import { requestContext } from './middleware/request-context';
import { securityHeaders } from './middleware/security-headers';
import { storefrontCors } from './middleware/storefront-cors';
import { buyerDocumentRoutes } from './routes/buyer-documents';
import { dashboard } from './routes/dashboard';
import { devRoutes } from './routes/dev';
import { doorRoutes } from './routes/door';
import { doorPairRoutes } from './routes/door-pair';
import { myTicketsRoutes } from './routes/my-tickets';
import { operatorRoutes } from './routes/operator';
import { organizer } from './routes/organizer';
import { pageRoutes } from './routes/pages';
import { sandboxRoutes } from './routes/sandbox';
import { scanPageRoutes } from './routes/scan-page';
import { storefront } from './routes/storefront';
import { ticketRoutes, wellKnownRoutes } from './routes/tickets';
import { webhookRoutes } from './routes/webhooks';

export const app = new Hono<AppEnv>();

/** Liveness, and the baseline route the benchmark compares every figure against. */
app.get('/healthz', (c) => c.text('ok'));

// Outermost, so error pages and problems get them too: CSP, framing, nosniff, HSTS on https.
app.use('*', securityHeaders());
app.use('*', requestContext);
// Before anything reads a body (the CORS check reads a checkout's hold id).
app.use('*', bodyLimits);
app.use('*', paymentsNotice);
// CORS by the event's allowed origins; a no-op outside the storefront API and the sandbox step.
app.use('/api/v1/*', storefrontCors);
app.use('/sandbox/pay/*', storefrontCors);
app.route('/api/v1/organizer', organizer);
app.route('/api/v1/webhooks', webhookRoutes);
app.route('/api/v1/operator', operatorRoutes);
// Before the door's device routes: pairing is how a phone gets its device token.
app.route('/api/v1/door/pair', doorPairRoutes);
app.route('/api/v1/door', doorRoutes);
app.route('/api/v1/operator', operatorRoutes);
app.route('/api/v1', ticketRoutes);
app.route('/api/v1', storefront);
app.route('/.well-known', wellKnownRoutes);
app.route('/sandbox', sandboxRoutes);
app.route('/dashboard', dashboard);
app.route('/dev', devRoutes);
app.route('/my-tickets', myTicketsRoutes);
app.route('/', scanPageRoutes);
// Before the pages: the buyer's PDF and calendar downloads answer problems, not HTML.
app.route('/', buyerDocumentRoutes);
app.route('/', pageRoutes);

app.onError(handleError);
app.notFound(notFoundHandler);
