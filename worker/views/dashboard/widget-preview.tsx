import { raw } from 'hono/html';
import { DASHBOARD_CSS_PATH } from './styles';

/**
 * The widget on a page of its own, the way an organizer's site embeds it: the loader from
 * /widget/v1.js and `<tessera-tickets>`, both from Tessera's own origin (always allowed by
 * the storefront's CORS). The event page frames it. A draft has no widget: the storefront
 * API refuses drafts (404), so the page says so and links to the hosted page's preview.
 */
export function WidgetPreviewPage(props: {
  eventId: string;
  slug: string;
  title: string;
  onSale: boolean;
}) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>{`Widget preview: ${props.title} · Tessera dashboard`}</title>
          <link rel="stylesheet" href={DASHBOARD_CSS_PATH} />
          {props.onSale ? <script src="/widget/v1.js" async /> : null}
        </head>
        <body>
          <main id="main">
            {props.onSale ? (
              <>
                <h1 class="small muted">Widget preview: {props.title}</h1>
                <tessera-tickets event={props.slug} />
              </>
            ) : (
              <>
                <h1>Widget preview</h1>
                <p>
                  The widget shows an event once it is published: until then the event does not
                  exist for buyers, and the widget’s API answers “not found”.
                </p>
                <p>
                  <a href={`/dashboard/events/${props.eventId}/preview`} target="_top">
                    Preview the event page instead
                  </a>
                </p>
              </>
            )}
          </main>
        </body>
      </html>
    </>
  );
}
