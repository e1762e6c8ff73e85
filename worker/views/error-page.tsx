import type { AppError } from '../domain/errors';
import { Layout } from './layout';

/** A friendly page for what went wrong in words, and the way forward. */
export function ErrorPage(props: {
  title: string;
  message: string;
  backHref?: string | undefined;
  backLabel?: string | undefined;
}) {
  return (
    <Layout title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
      {props.backHref ? (
        <p>
          <a class="btn" href={props.backHref}>
            {props.backLabel ?? 'Go back'}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

/** The 404 page: unknown event, draft, wrong order token. Never says which. */
export function NotFoundPage() {
  return (
    <ErrorPage
      title="Page not found"
      message="We could not find this page. Check that the link is complete: links to orders and tickets only work exactly as we sent them."
    />
  );
}

/** The page for a domain error raised in a page route: words for the buyer, never a code. */
export function AppErrorPage(props: { error: AppError }) {
  const { error } = props;
  if (error.status === 404 || error.status === 401) return <NotFoundPage />;
  if (error.status === 429)
    return <ErrorPage title="Too many requests" message="Please wait a moment, then try again." />;
  if (error.code === 'payment_provider_error') {
    return (
      <ErrorPage
        title="Payments are unavailable"
        message="We could not reach the payment provider, and nothing was charged. Please try again in a minute."
      />
    );
  }
  return <ErrorPage title={error.title} message={error.detail} />;
}
