import type { HoldView } from './api-types';
import { formatCountdown, formatPrice as price } from './format';
import { attrs, button, esc, heading } from './html';
import { type Lang, t } from './i18n';
import type { Shop, State } from './machine';
import { itemsTotalMinor } from './selection';

type CheckoutState = Extract<State, { name: 'details' | 'paying' | 'confirming' | 'confirmed' }>;

/** Until when the buyer's tickets are reserved: the payment window once checkout began. */
export function deadlineOf(state: State): number | null {
  if (state.name === 'details') return Date.parse(state.hold.expiresAt);
  if (state.name === 'paying') return Date.parse(state.order.expiresAt ?? state.hold.expiresAt);
  return null;
}

/** Markup for the steps after the hold. */
export function checkoutView(state: CheckoutState, lang: Lang, now: number): string {
  switch (state.name) {
    case 'details':
      return detailsView(state, lang, now);
    case 'paying':
      return payingView(state, lang, now);
    case 'confirming':
      return `${heading(t(lang, 'confirming'), ' role="status"')}`;
    case 'confirmed':
      return confirmedView(state, lang);
  }
}

function countdown(state: State, lang: Lang, now: number): string {
  const deadline = deadlineOf(state) ?? now;
  return `<p class="countdown" part="countdown">${esc(t(lang, 'reserved_for'))} <strong data-countdown>${formatCountdown(
    deadline - now,
  )}</strong></p>`;
}

function summary(shop: Shop, hold: HoldView, lang: Lang): string {
  const { event } = shop;
  const names = new Map(event.ticketTypes.map((type) => [type.id, type]));
  const lines = hold.items
    .map((item) => {
      const type = names.get(item.ticketTypeId);
      const line = (type?.priceMinor ?? 0) * item.quantity;
      return `<li class="line"><span>${item.quantity} × ${esc(type?.name ?? '')}</span><span>${esc(
        price(line, event.currency, lang),
      )}</span></li>`;
    })
    .join('');
  return `<ul part="summary">${lines}</ul><p class="total" part="total"><span>${esc(
    t(lang, 'total'),
  )}</span><span>${esc(price(itemsTotalMinor(event, hold.items), event.currency, lang))}</span></p>`;
}

function detailsView(state: Extract<State, { name: 'details' }>, lang: Lang, now: number): string {
  const busy = state.buyer !== null;
  const notice = state.notice
    ? `<p class="notice" role="alert">${esc(t(lang, state.notice === 'promo' ? 'invalid_promo' : 'invalid_details'))}</p>`
    : '';
  const input = (name: string, type: string, autocomplete: string, max: number) =>
    `<label part="label">${esc(t(lang, name === 'name' ? 'name' : 'email'))}<input${attrs({
      name,
      type,
      autocomplete,
      required: true,
      maxlength: max,
      part: 'input',
      'data-key': name,
      readonly: busy,
    })}></label>`;
  return `${heading(t(lang, 'details_title'))}${countdown(state, lang, now)}${summary(
    state.shop,
    state.hold,
    lang,
  )}${notice}<form data-form="details"${busy ? ' aria-busy="true"' : ''}>${input(
    'name',
    'text',
    'name',
    200,
  )}${input('email', 'email', 'email', 254)}<div class="actions"><button${attrs({
    type: 'submit',
    class: 'primary',
    part: 'button',
    'data-key': 'continue',
    'aria-disabled': busy ? 'true' : undefined,
  })}>${esc(t(lang, busy ? 'busy' : 'continue'))}</button>${
    busy ? '' : button(t(lang, 'change'), 'release', { cls: 'link' })
  }</div></form>`;
}

function payingView(state: Extract<State, { name: 'paying' }>, lang: Lang, now: number): string {
  const { order } = state;
  const amount = price(order.totalMinor, order.currency, lang);
  const head = `${heading(t(lang, 'pay_title'))}${countdown(state, lang, now)}`;
  if (order.payment?.provider !== 'sandbox') {
    // Stripe Elements refuse shadow roots: the form mounts in the host's light DOM, shown here.
    return `${head}<div part="payment-slot"><slot name="payment"><p class="muted">${esc(
      t(lang, 'card_slot'),
    )}</p></slot></div>`;
  }
  const busy = state.outcome !== null;
  return `${head}<div class="sandbox" role="group" part="payment-panel" aria-labelledby="sandbox-note"><p id="sandbox-note" class="muted">${esc(
    t(lang, 'sandbox_note'),
  )}</p><p class="total"><span>${esc(t(lang, 'total'))}</span><span>${esc(amount)}</span></p>${
    busy
      ? `<p role="status">${esc(t(lang, 'busy'))}</p>`
      : `<div class="actions">${button(t(lang, 'pay', { amount }), 'pay', {
          extra: { 'data-outcome': 'succeed' },
        })}${button(t(lang, 'decline'), 'pay', {
          cls: 'secondary',
          key: 'decline',
          extra: { 'data-outcome': 'fail' },
        })}</div>`
  }</div>`;
}

function confirmedView(state: Extract<State, { name: 'confirmed' }>, lang: Lang): string {
  const tickets = state.tickets
    .map((ticket) => {
      const name = ticket.ticketTypeName ?? '';
      return `<li part="ticket-qr"><img${attrs({
        src: ticket.qrSvgUrl,
        alt: t(lang, 'ticket_qr', { name }),
        width: 180,
        height: 180,
        part: 'qr',
      })}><span>${esc(name)}</span></li>`;
    })
    .join('');
  const link = state.orderUrl
    ? `<p><a${attrs({ href: state.orderUrl, target: '_blank', rel: 'noopener', part: 'order-link', 'data-key': 'order' })}>${esc(
        t(lang, 'order_link'),
      )}</a></p>`
    : '';
  return `${heading(t(lang, 'confirmed_title'))}<ul class="qrs" part="tickets">${tickets}</ul>${link}${button(
    t(lang, 'buy_more'),
    'restart',
    { cls: 'secondary' },
  )}`;
}
