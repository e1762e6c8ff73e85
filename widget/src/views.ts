import type { TicketTypeView } from './api-types';
import {
  formatCount,
  formatDateTime,
  formatDuration,
  formatMoney,
  formatPrice as price,
} from './format';
import { attrs, button, esc, heading } from './html';
import { errorWords, type Lang, t } from './i18n';
import type { QueueProgress, Shop, State } from './machine';
import { isBuyable, itemsTotalMinor, maxPerOrder, maxQuantity, selectedItems } from './selection';
import { checkoutView } from './views-checkout';

/** The markup of one state. Pure: the element puts it into its shadow root. */
export function view(state: State, lang: Lang, now: number): string {
  return `${testModeNotice(state, lang)}${stateView(state, lang, now)}`;
}

/** A test-mode event or order says TEST above every step, as Tessera's own pages do. */
function testModeNotice(state: State, lang: Lang): string {
  const test =
    'shop' in state ? state.shop.event.testMode : state.name === 'confirmed' && state.testMode;
  return test
    ? `<p class="test-mode" role="note" part="test-mode">${esc(t(lang, 'test_mode'))}</p>`
    : '';
}

function stateView(state: State, lang: Lang, now: number): string {
  switch (state.name) {
    case 'loading':
      return `<p class="muted" role="status" tabindex="-1" data-focus>${esc(t(lang, 'loading'))}</p>`;
    case 'ready':
      return catalogView(state.shop, lang);
    case 'queued':
      return queueView(state.queue, lang);
    case 'holding':
      return `<p role="status" tabindex="-1" data-focus>${esc(t(lang, 'holding'))}</p>`;
    case 'sold_out':
    case 'not_on_sale':
      return closedView(state.name, state.shop, lang, now);
    case 'error': {
      const words = errorWords(lang, state.kind);
      return `<div class="error" role="alert" part="error">${heading(words.message)}</div>${button(words.action, 'retry')}`;
    }
    default:
      return checkoutView(state, lang, now);
  }
}

function badge(type: TicketTypeView, lang: Lang): string {
  if (type.status === 'few_left')
    return `<span class="badge" part="badge">${esc(t(lang, 'few_left'))}</span>`;
  if (type.status === 'sold_out' || type.status === 'not_on_sale') {
    const key = type.status === 'sold_out' ? 'sold_out_badge' : 'not_on_sale_badge';
    return `<span class="badge out" part="badge">${esc(t(lang, key))}</span>`;
  }
  return '';
}

function stepper(shop: Shop, type: TicketTypeView, lang: Lang): string {
  if (!isBuyable(type)) return '';
  const quantity = shop.quantities[type.id] ?? 0;
  const name = { name: type.name };
  const step = (act: 'dec' | 'inc', label: string, symbol: string, disabled: boolean) =>
    `<button${attrs({
      type: 'button',
      class: 'step',
      part: 'stepper-button',
      'data-act': act,
      'data-id': type.id,
      'data-key': `${act}:${type.id}`,
      'aria-label': label,
      'aria-disabled': disabled ? 'true' : undefined,
    })}>${symbol}</button>`;
  return `<div class="stepper" role="group" part="stepper" aria-label="${esc(t(lang, 'quantity_of', name))}">${step(
    'dec',
    t(lang, 'remove_one', name),
    '−',
    quantity === 0,
  )}<span class="qty" part="quantity">${quantity}</span>${step(
    'inc',
    t(lang, 'add_one', name),
    '+',
    quantity >= maxQuantity(shop, type.id),
  )}</div>`;
}

function catalogView(shop: Shop, lang: Lang): string {
  const { event } = shop;
  const rows = event.ticketTypes
    .map(
      (type) =>
        `<li class="type" part="ticket"><div><span class="name" part="ticket-name">${esc(type.name)}</span><span class="price" part="price">${esc(price(type.priceMinor, event.currency, lang))}</span>${badge(type, lang)}</div>${stepper(shop, type, lang)}</li>`,
    )
    .join('');
  const items = selectedItems(shop);
  return `${heading(event.title)}<ul part="list">${rows}</ul><p class="total" part="total"><span>${esc(
    t(lang, 'total'),
  )}</span><span>${esc(formatMoney(itemsTotalMinor(event, items), event.currency, lang))}</span></p><p class="muted">${esc(
    t(lang, 'max_hint', { max: maxPerOrder(event) }),
  )}</p>${button(t(lang, 'choose'), 'choose', { disabled: items.length === 0 })}`;
}

function queueView(queue: QueueProgress | null, lang: Lang): string {
  const title = heading(t(lang, 'queue_title'));
  if (!queue) return `${title}<p role="status">${esc(t(lang, 'queue_joining'))}</p>`;
  const lines =
    queue.position === null
      ? [t(lang, 'queue_prequeue')]
      : [
          t(lang, 'queue_position', { position: formatCount(queue.position, lang) }),
          t(lang, 'queue_ahead', { count: formatCount(queue.peopleAhead ?? 0, lang) }),
        ];
  const eta = queue.etaSeconds < 60 ? t(lang, 'eta_soon') : formatDuration(queue.etaSeconds, lang);
  lines.push(t(lang, 'queue_eta', { eta }));
  const percent = Math.round(queue.progress * 100);
  return `${title}${lines.map((line) => `<p>${esc(line)}</p>`).join('')}<progress${attrs({
    part: 'progress',
    max: 100,
    value: percent,
    'aria-label': t(lang, 'queue_progress'),
  })}>${percent}%</progress><p class="muted">${esc(t(lang, 'queue_keep'))}</p>`;
}

function closedView(name: 'sold_out' | 'not_on_sale', shop: Shop, lang: Lang, now: number): string {
  const { event } = shop;
  const soldOut = name === 'sold_out';
  let text = t(lang, soldOut ? 'sold_out_text' : 'not_on_sale_text');
  const start = event.salesStartAt;
  if (!soldOut && start && Date.parse(start) > now) {
    text = t(lang, 'on_sale_from', { date: formatDateTime(start, event.timezone, lang) });
  }
  return `${heading(t(lang, soldOut ? 'sold_out_title' : 'not_on_sale_title'))}<p part="status-text">${esc(
    text,
  )}</p>${button(t(lang, 'check_again'), 'retry', { cls: 'secondary' })}`;
}
