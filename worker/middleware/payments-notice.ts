import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env';
import { reportSettingsOnce, TEST_MODE_NOTICE } from '../payments/availability';

/** Styled by the layout's `.test-payments` rule (no inline style: the pages' CSP). */
const BANNER = `<p class="test-payments" role="note"><strong>${TEST_MODE_NOTICE}</strong></p>`;

/**
 * The settings this deployment lacks go to the log on the first request of an isolate. A
 * page of a test-mode event or order (its handler set `testMode`) gets the TEST banner,
 * whichever view rendered it (errors and all), so no view can forget it.
 */
export const paymentsNotice = createMiddleware<AppEnv>(async (c, next) => {
  reportSettingsOnce(c.env);
  await next();
  if (c.get('testMode') !== true) return;
  if (!(c.res.headers.get('content-type') ?? '').startsWith('text/html')) return;
  c.res = new HTMLRewriter()
    .on('body', {
      element(body) {
        body.prepend(BANNER, { html: true });
      },
    })
    .transform(c.res);
});
