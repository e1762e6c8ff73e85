import type { HoldItem } from '../../durable-objects/inventory/types';
import type { AppError } from '../domain/errors';

/** The event page's form (`qty_<ticketTypeId>` fields) and the words for a refused hold. */

const QTY_FIELD = /^qty_(.{1,64})$/;
const QUANTITY = /^\d{1,3}$/;

export interface ChosenQuantities {
  /** What the buyer chose, to show the form again as they left it. */
  selected: Map<string, number>;
  /** The positive quantities: what to hold. */
  items: HoldItem[];
  /** Set when a field is not a quantity from the list (a hand-made request). */
  malformed: boolean;
}

/** Reads `qty_<ticketTypeId>` fields; zero means "none of this type". */
export function chosenQuantities(form: Record<string, string>): ChosenQuantities {
  const selected = new Map<string, number>();
  const items: HoldItem[] = [];
  let malformed = false;
  for (const [name, value] of Object.entries(form)) {
    const ticketTypeId = QTY_FIELD.exec(name)?.[1];
    if (!ticketTypeId) continue;
    if (!QUANTITY.test(value.trim())) {
      malformed = true;
      continue;
    }
    const quantity = Number(value.trim());
    selected.set(ticketTypeId, quantity);
    if (quantity > 0) items.push({ ticketTypeId, quantity });
  }
  return { selected, items, malformed };
}

const NOT_ON_SALE_WORDS: Record<string, string> = {
  not_started: 'Sales for this event have not started yet.',
  ended: 'Sales for this event have ended.',
  canceled: 'This event has been canceled, so no tickets can be bought.',
  hidden: 'Some of the tickets you chose are not offered any more. Please choose again.',
};

/** A refused hold (holdFailure's error) as a sentence with the way forward. Never a code. */
export function holdErrorText(error: AppError, typeNames: ReadonlyMap<string, string>): string {
  switch (error.code) {
    case 'sold_out': {
      const ids = error.extra.ticketTypeIds;
      const names = Array.isArray(ids)
        ? ids.flatMap((id) => (typeof id === 'string' ? [typeNames.get(id) ?? ''] : []))
        : [];
      const which = names.filter(Boolean).join(' and ');
      return `Sorry, there are not enough ${which ? `“${which}” ` : ''}tickets left for your selection, so nothing was reserved. The list below shows what is still available: please choose again.`;
    }
    case 'max_per_order_exceeded': {
      const max = error.extra.maxPerOrder;
      return `You can buy at most ${typeof max === 'number' ? max : 'a limited number of'} tickets in one order. Choose fewer and try again.`;
    }
    case 'not_on_sale': {
      const reason = error.extra.reason;
      return (
        (typeof reason === 'string' && NOT_ON_SALE_WORDS[reason]) ||
        'Tickets for this event are not on sale right now.'
      );
    }
    case 'validation_failed':
      return 'Some of the tickets you chose are not offered any more. Please choose again.';
    case 'hold_limit_reached': {
      const limit = error.extra.limit;
      return `You already have ${typeof limit === 'number' ? `the most tickets (${limit})` : 'the most tickets'} that can be reserved at once from your connection. Complete or release your other reservation first.`;
    }
    case 'rate_limited':
      return 'Too many reservations were tried from your connection just now. Please wait a minute and try again.';
    default:
      return 'Your tickets could not be reserved. Please try again.';
  }
}
