import { formatCount, formatPrice as price } from './format';
import { type Lang, t } from './i18n';
import type { Event, Event as MachineEvent, State } from './machine';

/** What the element tells the host page and assistive technology about a transition. */

type HostEvent = [name: 'ready' | 'hold' | 'order-completed', detail: Record<string, unknown>];

/**
 * The `tessera:*` events a transition causes (bubbling and composed, for analytics hooks):
 * `ready` once the catalog first arrives, `hold` when tickets are reserved, `order-completed`
 * when the order is paid (with `testMode`, so analytics can skip test orders).
 */
export function hostEvents(prev: State, next: State, readyFired: boolean): HostEvent[] {
  if (prev.name === 'loading' && 'shop' in next && !readyFired) {
    return [['ready', { eventId: next.shop.event.id }]];
  }
  if (prev.name === 'holding' && next.name === 'details') {
    const { holdId, expiresAt, items } = next.hold;
    return [['hold', { holdId, expiresAt, items }]];
  }
  if (next.name === 'confirmed' && prev.name !== 'confirmed') {
    const { orderId, totalMinor, currency } = next.order;
    // `testMode`: a host page's analytics can leave test orders out, as Tessera's stats do.
    const testMode = next.testMode === true;
    return [['order-completed', { orderId, totalMinor, currency, testMode }]];
  }
  return [];
}

/** A polite live-region message for a transition: quantities and the queue, not every render. */
export function announcement(prev: State, next: State, event: Event, lang: Lang): string | null {
  // Replaces what the countdown said ("15 minutes left" must not linger once it is over).
  if (next.name === 'confirmed' && prev.name !== 'confirmed') return t(lang, 'confirmed_title');
  if (next.name === 'error' && next.kind === 'payment_failed') return t(lang, 'err_payment_failed');
  if (event.type === 'set_quantity' && next.name === 'ready') {
    const type = next.shop.event.ticketTypes.find((tt) => tt.id === event.ticketTypeId);
    const quantity = next.shop.quantities[event.ticketTypeId] ?? 0;
    return type ? `${type.name}: ${quantity}` : null;
  }
  if (next.name === 'queued' && next.queue?.position != null) {
    const before = prev.name === 'queued' ? prev.queue?.position : undefined;
    if (before === next.queue.position) return null;
    return t(lang, 'queue_position', { position: formatCount(next.queue.position, lang) });
  }
  if (prev.name === 'queued' && next.name !== 'queued' && event.type === 'queue_update') {
    return t(lang, 'admitted');
  }
  return null;
}

/**
 * Stripe Elements refuse shadow roots, so the Payment Element mounts in the host's light DOM:
 * while a Stripe payment is due, the element keeps `<div slot="payment">` as its own child
 * (shown through `<slot name="payment">`), loads the small pay bundle (and through it
 * Stripe.js, from Stripe) only then, and announces the slot with `tessera:payment`.
 * 3-D Secure runs inside the page (`redirect: 'if_required'`); a method that must leave the
 * page returns the buyer to the order page. The outcome goes back into the machine.
 */
export function syncPaymentSlot(
  host: HTMLElement,
  state: State,
  lang: Lang,
  origin: string,
  send: (event: MachineEvent) => void,
): void {
  const existing = host.querySelector(':scope > [slot="payment"]');
  const payment = state.name === 'paying' ? state.order.payment : null;
  if (!payment?.clientSecret || !payment.publishableKey || state.name !== 'paying') {
    existing?.remove();
    return;
  }
  if (existing) return;
  const slot = document.createElement('div');
  slot.slot = 'payment';
  const element = document.createElement('div');
  const pay = document.createElement('button');
  pay.type = 'button';
  pay.disabled = true;
  pay.textContent = t(lang, 'pay', {
    amount: price(state.order.totalMinor, state.order.currency, lang),
  });
  slot.append(element, pay);
  host.append(slot);
  host.dispatchEvent(
    new CustomEvent('tessera:payment', {
      detail: { orderId: state.order.orderId, provider: payment.provider, mount: slot },
      bubbles: true,
      composed: true,
    }),
  );
  const options = {
    publishableKey: payment.publishableKey,
    clientSecret: payment.clientSecret,
    returnUrl: state.order.orderUrl ?? location.href,
    redirect: 'if_required' as const,
    stripeJsUrl: payment.stripeJsUrl,
    locale: lang,
  };
  loadPayBundle(origin)
    .then((bundle) => bundle.mount(element, options))
    .then((mounted) => {
      pay.disabled = false;
      pay.onclick = async () => {
        pay.disabled = true;
        const result = await mounted.confirm();
        if (result.outcome === 'requires_action') pay.disabled = false;
        else
          send({
            type: 'payment_sent',
            status: result.outcome === 'declined' ? 'failed' : 'succeeded',
          });
      };
    })
    .catch(() => send({ type: 'payment_sent', status: 'failed' }));
}

declare const __TESSERA_PAY__: string;
let payBundle: Promise<NonNullable<Window['TesseraPay']>> | null = null;

/** The pay bundle from the widget's own origin, once per page. */
function loadPayBundle(origin: string): Promise<NonNullable<Window['TesseraPay']>> {
  payBundle ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = `${origin}/widget/${__TESSERA_PAY__}`;
    script.onload = () =>
      window.TesseraPay ? resolve(window.TesseraPay) : reject(new Error('pay'));
    script.onerror = () => {
      payBundle = null;
      reject(new Error('pay'));
    };
    document.head.append(script);
  });
  return payBundle;
}
