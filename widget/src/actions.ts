import type { Buyer, Event, State } from './machine';

/** What a click on an element with `data-act` means: a machine event or an overlay command. */
export type Action = Event | { type: 'open' } | { type: 'close' };

/** Translates a click in the widget; aria-disabled controls do nothing. */
export function actionFor(target: HTMLElement, state: State): Action | null {
  if (target.getAttribute('aria-disabled') === 'true') return null;
  const act = target.dataset.act;
  switch (act) {
    case 'inc':
    case 'dec': {
      const ticketTypeId = target.dataset.id ?? '';
      const now = state.name === 'ready' ? (state.shop.quantities[ticketTypeId] ?? 0) : 0;
      return { type: 'set_quantity', ticketTypeId, quantity: now + (act === 'inc' ? 1 : -1) };
    }
    case 'pay':
      return { type: 'pay', outcome: target.dataset.outcome === 'fail' ? 'fail' : 'succeed' };
    case 'choose':
    case 'release':
    case 'retry':
    case 'restart':
    case 'open':
    case 'close':
      return { type: act };
    default:
      return null;
  }
}

/** The buyer form's fields, trimmed (the browser has checked `required` and `type=email`). */
export function buyerFrom(form: HTMLFormElement): Buyer {
  const data = new FormData(form);
  const field = (name: string) => String(data.get(name) ?? '').trim();
  return { name: field('name'), email: field('email') };
}
