import { Hono } from 'hono';
import type { HoldView } from '../../../durable-objects/inventory/types';
import type { AppEnv } from '../../app-env';
import type { EventRecord } from '../../catalog/event-record';
import { AppError } from '../../domain/errors';
import { randomToken } from '../../domain/ids';
import { priceItems } from '../../domain/pricing';
import { releaseHold } from '../../holds/hold-service';
import { publicOrigin } from '../../http/bearer';
import { retryAfterSeconds } from '../../http/problem';
import { fieldErrors } from '../../http/validate';
import { requestClientKey } from '../../limits/client-key';
import { checkout, requirePaymentsConfigured } from '../../orders/checkout';
import { CheckoutPage } from '../../views/checkout-page';
import { checkoutSchema } from '../storefront/checkout';
import { findHold, liveHold, rememberOrder } from './live-hold';
import { formFields, type PageContext, publicEvent, type Status } from './shared';

/** The checkout page of a hold: the buyer form, its submit, and letting the hold go. */
export const checkoutPageRoutes = new Hono<AppEnv>();

/** The hidden form key: random per render of the checkout page. */
const FORM_KEY = /^[0-9a-z]{20}$/;

interface BuyerForm {
  values: { name: string; email: string };
  errors: { name?: string | undefined; email?: string | undefined };
  notice?: string | undefined;
}

function renderCheckout(
  c: PageContext,
  record: EventRecord,
  hold: HoldView,
  form: BuyerForm,
  status: Status,
) {
  const { event } = record;
  const priced = priceItems(hold.items, record.ticketTypes);
  // No form to fill in when the payment could not be taken anyway (503, the hold untouched).
  if (priced.totalMinor > 0) requirePaymentsConfigured(c.env, event.testMode);
  c.header('cache-control', 'private, no-store');
  // The URL carries the hold id, which checks the hold out or releases it: no referrer to
  // other sites. Not `no-referrer`: that makes browsers send `Origin: null` on the form post.
  c.header('referrer-policy', 'same-origin');
  return c.html(
    <CheckoutPage
      event={event}
      holdId={hold.holdId}
      expiresAt={hold.expiresAt}
      lines={priced.lines}
      totalMinor={priced.totalMinor}
      formKey={randomToken()}
      {...form}
    />,
    status,
  );
}

/** `buyer.name` / `buyer.email` field errors as the form's messages. */
function buyerErrors(errors: { path: string; message: string }[]): BuyerForm['errors'] {
  const find = (field: string) => errors.find((e) => e.path === `buyer.${field}`)?.message;
  return { name: find('name'), email: find('email') };
}

checkoutPageRoutes.get('/e/:slug/checkout/:holdId', async (c) => {
  const record = await publicEvent(c, c.req.param('slug'));
  const hold = await liveHold(c, record, c.req.param('holdId'));
  if (hold instanceof Response) return hold;
  return renderCheckout(c, record, hold, { values: { name: '', email: '' }, errors: {} }, 200);
});

/**
 * The buyer form. The Idempotency-Key comes from the form's hidden field, so submitting the
 * same rendered form twice (double click, resend after a timeout) answers the same order.
 */
checkoutPageRoutes.post('/e/:slug/checkout/:holdId', async (c) => {
  const record = await publicEvent(c, c.req.param('slug'));
  const holdId = c.req.param('holdId');
  const fields = await formFields(c);
  const values = { name: fields.name ?? '', email: (fields.email ?? '').trim() };
  const key = fields.key ?? '';
  const parsed = checkoutSchema.safeParse({ holdId, buyer: values });

  const showAgain = async (form: BuyerForm) => {
    const hold = await liveHold(c, record, holdId);
    return hold instanceof Response ? hold : renderCheckout(c, record, hold, form, 422);
  };
  if (!parsed.success) return showAgain({ values, errors: buyerErrors(fieldErrors(parsed.error)) });
  if (!FORM_KEY.test(key)) {
    return showAgain({
      values,
      errors: {},
      notice: 'Something went wrong with the form. Please send it again.',
    });
  }

  try {
    const ctx = {
      env: c.env,
      db: c.get('db'),
      origin: publicOrigin(c),
      clientKey: requestClientKey(c),
    };
    const { response } = await checkout(ctx, `page:${holdId}:${key}`, parsed.data);
    rememberOrder(c, record.event.slug, holdId, response.orderToken);
    return c.redirect(response.payment?.redirectUrl ?? response.orderUrl, 303);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === 'rate_limited') {
      c.header('retry-after', String(retryAfterSeconds(error) ?? 60));
      const hold = await liveHold(c, record, holdId);
      if (hold instanceof Response) return hold;
      const notice =
        'Too many orders were tried from your connection just now. Please wait a minute and send the form again.';
      return renderCheckout(c, record, hold, { values, errors: {}, notice }, 429);
    }
    // Expired, unknown, or already in checkout (maybe by this very form, changed): say which.
    const hold = await liveHold(c, record, holdId);
    if (hold instanceof Response) return hold;
    throw error;
  }
});

checkoutPageRoutes.post('/e/:slug/checkout/:holdId/release', async (c) => {
  const record = await publicEvent(c, c.req.param('slug'));
  const hold = await findHold(c, record, c.req.param('holdId'));
  // Only a hold nobody is paying for is let go from here; anything else just goes back.
  const result =
    hold && !hold.orderId ? await releaseHold(c.env, record.event.id, hold.holdId) : null;
  const released = result?.ok === true && result.state === 'released';
  return c.redirect(`/e/${record.event.slug}${released ? '?released=1' : ''}`, 303);
});
