import { EmbedSnippet } from './event-editor';

/**
 * "Sell on your site" on an event's page: the two lines to paste (with a copy button when
 * scripts run) and, once the event is on sale, the widget itself, live, in a frame of
 * /dashboard/events/:id/preview/widget (the one dashboard page that may be framed, by the
 * dashboard only). Buying in it is real buying.
 */
export function EmbedPanel(props: {
  eventId: string;
  slug: string;
  status: string;
  origin: string;
  allowedOrigins: string[];
}) {
  const widgetPage = `/dashboard/events/${props.eventId}/preview/widget`;
  return (
    <section class="card" id="embed" aria-labelledby="embed-title">
      <h2 id="embed-title">Sell on your site</h2>
      <p class="hint">
        {props.allowedOrigins.length > 0
          ? `The widget may run on: ${props.allowedOrigins.join(', ')}.`
          : 'No sites are allowed yet: add yours under “Sell on your site” in the editor.'}
      </p>
      <EmbedSnippet origin={props.origin} slug={props.slug} />
      {props.status === 'on_sale' ? (
        <>
          <h3>Live preview</h3>
          <p class="hint">
            The widget as your buyers get it, served from Tessera. Tickets bought here are real.
          </p>
          <iframe
            class="preview-frame"
            src={widgetPage}
            title="Live preview of the ticket widget"
            loading="lazy"
          />
        </>
      ) : (
        <p class="hint">
          The widget shows the event once it is published. <a href={widgetPage}>Why?</a>
        </p>
      )}
    </section>
  );
}
