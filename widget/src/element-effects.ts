import { formatCount } from './format';
import { type Lang, t } from './i18n';
import type { Event, State } from './machine';

/** What the element tells the host page and assistive technology about a transition. */

type HostEvent = [name: 'ready' | 'hold' | 'order-completed', detail: Record<string, unknown>];

/**
 * The `tessera:*` events a transition causes (bubbling and composed, for analytics hooks):
 * `ready` once the catalog first arrives, `hold` when tickets are reserved, `order-completed`
 * when the order is paid.
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
    return [['order-completed', { orderId, totalMinor, currency }]];
  }
  return [];
}

/** A polite live-region message for a transition: quantities and the queue, not every render. */
export function announcement(prev: State, next: State, event: Event, lang: Lang): string | null {
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
 * Stripe Elements refuse shadow roots, so a card form mounts in the host's light DOM: while a
 * Stripe payment is due, the element keeps `<div slot="payment">` as its own child (shown
 * through `<slot name="payment">`) and announces it with `tessera:payment` so the payment
 * integration can mount there. Loading Stripe.js is a later issue; until then it is a placeholder.
 */
export function syncPaymentSlot(host: HTMLElement, state: State, lang: Lang): void {
  const existing = host.querySelector(':scope > [slot="payment"]');
  const due =
    state.name === 'paying' && !!state.order.payment && state.order.payment.provider !== 'sandbox';
  if (!due) {
    existing?.remove();
    return;
  }
  if (existing || state.name !== 'paying') return;
  const mount = document.createElement('div');
  mount.slot = 'payment';
  mount.textContent = t(lang, 'card_slot');
  host.append(mount);
  const { orderId, payment } = state.order;
  host.dispatchEvent(
    new CustomEvent('tessera:payment', {
      detail: { orderId, provider: payment?.provider, clientSecret: payment?.clientSecret, mount },
      bubbles: true,
      composed: true,
    }),
  );
}
