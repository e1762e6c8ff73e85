import type { Context, ErrorHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env';
import { type EventRecord, loadEvent } from '../../catalog/event-record';
import { AppError, notFound, problem } from '../../domain/errors';
import { retryAfterSeconds } from '../../http/problem';
import { AppErrorPage } from '../../views/error-page';

export type PageContext = Context<AppEnv>;
export type Status = 200 | 404 | 409 | 422 | 429;

/**
 * The pages' `onError`: domain errors become a friendly HTML page here, not problem+json;
 * unknown errors go on to the app's onError (logged, bare 500).
 */
export const renderPageError: ErrorHandler<AppEnv> = (error, c) => {
  if (!(error instanceof AppError)) throw error;
  const retryAfter = retryAfterSeconds(error);
  if (retryAfter !== undefined) c.header('retry-after', String(retryAfter));
  return c.html(<AppErrorPage error={error} />, error.status);
};

/**
 * Our forms are posted from our own pages. A browser's cross-site post (CSRF: another site
 * making its visitors hold tickets) is refused; clients sending neither header are not
 * browsers, and could call the API directly anyway.
 */
export const refuseCrossSitePosts = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === 'POST') {
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    const crossSite = site
      ? site !== 'same-origin'
      : origin !== undefined && origin !== new URL(c.req.url).origin;
    if (crossSite) {
      throw problem(
        'cross_site_form',
        'For your safety this form is only accepted from our own event page. Open the event page and try again.',
      );
    }
  }
  await next();
});

/** A published (or canceled) event by slug; drafts do not exist for buyers. */
export async function publicEvent(c: PageContext, slug: string): Promise<EventRecord> {
  const record = await loadEvent(c.get('db'), slug);
  if (!record || record.event.status === 'draft') throw notFound('event');
  // Its pages (event, checkout, queue, and their errors) say TEST (middleware/payments-notice.ts).
  c.set('testMode', record.event.testMode);
  return record;
}

/** The posted form's text fields (file fields are dropped). */
export async function formFields(c: PageContext): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(
    Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}
