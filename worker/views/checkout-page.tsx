import { formatClock, formatPrice } from './format';
import { inlineScript } from './inline-code';
import { Layout } from './layout';
import { EventHeader, type EventHeading, type ItemLine, ItemsTable, Notice } from './parts';

/** Props of the checkout page: a live hold, priced, and the buyer form. */
export interface CheckoutPageProps {
  event: EventHeading & { slug: string; currency: string };
  holdId: string;
  expiresAt: string;
  lines: ItemLine[];
  totalMinor: number;
  /** Random per render: the same form submitted twice maps to the same order. */
  formKey: string;
  values: { name: string; email: string };
  errors: { name?: string | undefined; email?: string | undefined };
  notice?: string | undefined;
}

/**
 * Progressive enhancement: turns the absolute expiry into "mm:ss left". Constant code (no
 * interpolated data: it reads the time from the page), so emitting it raw is safe.
 */
const COUNTDOWN = inlineScript(
  `(function(){var t=document.getElementById('hold-expiry'),o=document.getElementById('hold-left');if(!t||!o)return;` +
    `var end=Date.parse(t.getAttribute('datetime'));function p(n){return String(n).padStart(2,'0')}` +
    `function tick(){var s=Math.max(0,Math.ceil((end-Date.now())/1e3));` +
    `o.textContent=s?' ('+p(Math.floor(s/60))+':'+p(s%60)+' left)':' (time is up: choose your tickets again)';` +
    `if(s)setTimeout(tick,1e3)}tick()})()`,
);

/** Held items, expiry with a countdown, the buyer form and a way to let the tickets go. */
export function CheckoutPage(props: CheckoutPageProps) {
  const { event, errors } = props;
  const action = `/e/${event.slug}/checkout/${props.holdId}`;
  return (
    <Layout title={`Checkout: ${event.title}`} noindex>
      <EventHeader event={event} level="h2" />
      <h1>Your tickets</h1>
      <p>
        Reserved for you until{' '}
        <strong>
          <time id="hold-expiry" datetime={props.expiresAt}>
            {formatClock(props.expiresAt, event.timezone)}
          </time>
        </strong>
        <span id="hold-left" />.
      </p>
      <script>{COUNTDOWN}</script>
      <ItemsTable lines={props.lines} totalMinor={props.totalMinor} currency={event.currency} />
      {props.notice ? <Notice kind="error">{props.notice}</Notice> : null}
      <form method="post" action={action} class="card">
        <input type="hidden" name="key" value={props.formKey} />
        <Field
          id="name"
          label="Your name"
          type="text"
          autocomplete="name"
          value={props.values.name}
          error={errors.name}
        />
        <Field
          id="email"
          label="Email"
          type="email"
          autocomplete="email"
          value={props.values.email}
          error={errors.email}
        />
        <p class="muted small">We send your tickets to this address.</p>
        <button class="btn" type="submit">
          {props.totalMinor > 0
            ? `Continue to payment (${formatPrice(props.totalMinor, event.currency)})`
            : 'Get my tickets'}
        </button>
      </form>
      <form method="post" action={`${action}/release`} class="noprint">
        <button class="btn secondary" type="submit">
          Release my tickets
        </button>
      </form>
    </Layout>
  );
}

function Field(props: {
  id: string;
  label: string;
  type: string;
  autocomplete: string;
  value: string;
  error?: string | undefined;
}) {
  const errorId = `${props.id}-error`;
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.id}
        type={props.type}
        autocomplete={props.autocomplete}
        value={props.value}
        required
        maxlength={props.type === 'email' ? 254 : 200}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? errorId : undefined}
      />
      {props.error ? (
        <p class="field-error" id={errorId}>
          {props.error}
        </p>
      ) : null}
    </>
  );
}

/** Why a checkout page can not be shown; each reason has its own words. */
export type HoldGoneReason = 'unknown' | 'expired' | 'in_checkout' | 'bought';

const GONE_WORDS: Record<HoldGoneReason, { title: string; message: string }> = {
  unknown: {
    title: 'Reservation not found',
    message: 'We could not find this reservation. Choose your tickets again.',
  },
  expired: {
    title: 'Your reservation has ended',
    message:
      'The time to check out ran out (or the tickets were released), so they went back on sale. Choose your tickets again.',
  },
  in_checkout: {
    title: 'Checkout already started',
    message:
      'These tickets are already being paid for in another window. Finish the payment there; if it is not completed, the tickets go back on sale when the reservation ends.',
  },
  bought: {
    title: 'Already bought',
    message:
      'These tickets have been bought. Open your order with the link in your confirmation email.',
  },
};

/** An expired, unknown or already used hold: say so, and link back to choose again. */
export function HoldGonePage(props: {
  reason: HoldGoneReason;
  eventSlug: string;
  eventTitle: string;
}) {
  const words = GONE_WORDS[props.reason];
  return (
    <Layout title={words.title} noindex>
      <h1>{words.title}</h1>
      <p>{words.message}</p>
      <p>
        <a class="btn" href={`/e/${props.eventSlug}`}>
          Back to {props.eventTitle}
        </a>
      </p>
    </Layout>
  );
}
