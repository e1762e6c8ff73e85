import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env';
import { paymentsSetup, reportSettingsOnce, TEST_PAYMENTS_NOTICE } from '../payments/availability';

/** Styled by the layout's `.test-payments` rule (no inline style: the pages' CSP). */
const BANNER = `<p class="test-payments" role="note"><strong>${TEST_PAYMENTS_NOTICE}</strong></p>`;

/**
 * Says how this deployment takes payments: the settings it lacks go to the log on the first
 * request of an isolate; while the sandbox takes payments outside development (by opt-in),
 * every HTML page gets the banner, whichever route rendered it (errors and all).
 */
export const paymentsNotice = createMiddleware<AppEnv>(async (c, next) => {
  reportSettingsOnce(c.env);
  await next();
  if (!paymentsSetup(c.env).testPayments) return;
  if (!(c.res.headers.get('content-type') ?? '').startsWith('text/html')) return;
  c.res = new HTMLRewriter()
    .on('body', {
      element(body) {
        body.prepend(BANNER, { html: true });
      },
    })
    .transform(c.res);
});
