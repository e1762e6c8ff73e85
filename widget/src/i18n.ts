import type { ErrorKind } from './machine';

/** Everything the buyer reads, in English and German. Buyers see words, never codes. */

const en = {
  loading: 'Loading tickets…',
  tickets: 'Tickets',
  few_left: 'Few left',
  sold_out_badge: 'Sold out',
  not_on_sale_badge: 'Not on sale',
  free: 'Free',
  add_one: 'Add one {name}',
  remove_one: 'Remove one {name}',
  quantity_of: 'Quantity of {name}',
  total: 'Total',
  choose: 'Reserve tickets',
  max_hint: 'Up to {max} tickets per order.',
  queue_title: 'You are in the waiting room',
  queue_joining: 'Joining the waiting room…',
  queue_position: 'Your place in line: {position}',
  queue_ahead: 'People ahead of you: {count}',
  queue_eta: 'Estimated wait: {eta}',
  eta_soon: 'less than a minute',
  queue_prequeue: 'The order of the line is drawn at random when sales open.',
  queue_keep: 'Keep this page open. You keep your place if you reload.',
  queue_progress: 'Progress in the waiting room',
  admitted: 'It is your turn.',
  holding: 'Reserving your tickets…',
  reserved_for: 'Tickets reserved for',
  minutes_left: '{minutes} left to complete your order.',
  details_title: 'Your details',
  name: 'Name',
  email: 'Email',
  invalid_details: 'Please check your name and email address.',
  invalid_promo: 'This promo code is not valid. You can continue without it.',
  continue: 'Continue to payment',
  change: 'Change tickets',
  busy: 'One moment…',
  pay_title: 'Payment',
  sandbox_note: 'Test payment: no money is charged.',
  pay: 'Pay {amount}',
  decline: 'Decline',
  card_slot: 'The payment form appears here.',
  confirming: 'Confirming your payment…',
  confirmed_title: 'Thank you! Here are your tickets.',
  test_mode: 'TEST — no real money; these tickets are not valid at the door',
  ticket_qr: 'QR code for {name}',
  order_link: 'View your order',
  buy_more: 'Buy more tickets',
  open: 'Buy tickets',
  close: 'Close',
  sold_out_title: 'Sold out',
  sold_out_text: 'All tickets for this event are gone.',
  check_again: 'Check again',
  not_on_sale_title: 'Not on sale',
  not_on_sale_text: 'Tickets for this event are not on sale right now.',
  on_sale_from: 'On sale from {date}.',
  err_sold_out: 'Sorry, those tickets sold out while you were choosing.',
  act_sold_out: 'Refresh the list',
  err_hold_expired: 'Your reservation has expired and the tickets were released.',
  act_hold_expired: 'Choose again',
  err_payment_failed: 'Your payment did not go through. Your tickets are still reserved.',
  act_payment_failed: 'Try again',
  err_network: 'We could not reach the ticket shop. Please check your connection.',
  act_network: 'Retry',
  err_not_found: 'This event could not be found.',
  act_not_found: 'Retry',
  err_not_on_sale: 'Tickets for this event are no longer on sale.',
  act_not_on_sale: 'Refresh',
  err_too_many: 'That is more tickets than one order may hold.',
  act_too_many: 'Change selection',
  err_in_use: 'You already have tickets reserved in another window.',
  act_in_use: 'Start over',
  err_late_payment:
    'Your payment arrived after the tickets were gone. The money is on its way back to you.',
  act_late_payment: 'Start over',
  err_pending: 'Your payment is taking longer than usual to confirm.',
  act_pending: 'Check again',
  err_hold_limit:
    'You already have as many tickets reserved as one buyer may hold at once. Finish or release that reservation first.',
  act_hold_limit: 'Back to the tickets',
  err_rate_limited: 'Too many tries from your connection just now. Please wait a minute.',
  act_rate_limited: 'Try again',
};

export type MessageKey = keyof typeof en;
export type Lang = 'en' | 'de';

const de: Record<MessageKey, string> = {
  loading: 'Tickets werden geladen …',
  tickets: 'Tickets',
  few_left: 'Nur noch wenige',
  sold_out_badge: 'Ausverkauft',
  not_on_sale_badge: 'Nicht im Verkauf',
  free: 'Kostenlos',
  add_one: 'Ein Ticket „{name}“ hinzufügen',
  remove_one: 'Ein Ticket „{name}“ entfernen',
  quantity_of: 'Anzahl „{name}“',
  total: 'Summe',
  choose: 'Tickets reservieren',
  max_hint: 'Bis zu {max} Tickets pro Bestellung.',
  queue_title: 'Sie sind im Warteraum',
  queue_joining: 'Sie betreten den Warteraum …',
  queue_position: 'Ihr Platz in der Schlange: {position}',
  queue_ahead: 'Personen vor Ihnen: {count}',
  queue_eta: 'Geschätzte Wartezeit: {eta}',
  eta_soon: 'weniger als eine Minute',
  queue_prequeue: 'Die Reihenfolge wird zum Verkaufsstart ausgelost.',
  queue_keep: 'Lassen Sie diese Seite offen. Beim Neuladen behalten Sie Ihren Platz.',
  queue_progress: 'Fortschritt im Warteraum',
  admitted: 'Sie sind an der Reihe.',
  holding: 'Ihre Tickets werden reserviert …',
  reserved_for: 'Tickets reserviert für',
  minutes_left: 'Noch {minutes}, um die Bestellung abzuschließen.',
  details_title: 'Ihre Angaben',
  name: 'Name',
  email: 'E-Mail',
  invalid_details: 'Bitte prüfen Sie Name und E-Mail-Adresse.',
  invalid_promo: 'Dieser Aktionscode ist ungültig. Sie können ohne ihn fortfahren.',
  continue: 'Weiter zur Zahlung',
  change: 'Tickets ändern',
  busy: 'Einen Moment …',
  pay_title: 'Zahlung',
  sandbox_note: 'Testzahlung: Es wird kein Geld abgebucht.',
  pay: '{amount} bezahlen',
  decline: 'Ablehnen',
  card_slot: 'Hier erscheint das Zahlungsformular.',
  confirming: 'Ihre Zahlung wird bestätigt …',
  confirmed_title: 'Vielen Dank! Hier sind Ihre Tickets.',
  test_mode: 'TEST – kein echtes Geld; diese Tickets gelten nicht am Einlass',
  ticket_qr: 'QR-Code für {name}',
  order_link: 'Ihre Bestellung ansehen',
  buy_more: 'Weitere Tickets kaufen',
  open: 'Tickets kaufen',
  close: 'Schließen',
  sold_out_title: 'Ausverkauft',
  sold_out_text: 'Alle Tickets für diese Veranstaltung sind vergeben.',
  check_again: 'Erneut prüfen',
  not_on_sale_title: 'Nicht im Verkauf',
  not_on_sale_text: 'Für diese Veranstaltung gibt es gerade keine Tickets zu kaufen.',
  on_sale_from: 'Im Verkauf ab {date}.',
  err_sold_out: 'Leider waren diese Tickets ausverkauft, während Sie gewählt haben.',
  act_sold_out: 'Liste aktualisieren',
  err_hold_expired: 'Ihre Reservierung ist abgelaufen, die Tickets wurden freigegeben.',
  act_hold_expired: 'Erneut wählen',
  err_payment_failed: 'Ihre Zahlung ist nicht durchgegangen. Ihre Tickets bleiben reserviert.',
  act_payment_failed: 'Erneut versuchen',
  err_network: 'Der Ticketshop ist nicht erreichbar. Bitte prüfen Sie Ihre Verbindung.',
  act_network: 'Wiederholen',
  err_not_found: 'Diese Veranstaltung wurde nicht gefunden.',
  act_not_found: 'Wiederholen',
  err_not_on_sale: 'Für diese Veranstaltung werden keine Tickets mehr verkauft.',
  act_not_on_sale: 'Aktualisieren',
  err_too_many: 'So viele Tickets passen nicht in eine Bestellung.',
  act_too_many: 'Auswahl ändern',
  err_in_use: 'Sie haben bereits in einem anderen Fenster Tickets reserviert.',
  act_in_use: 'Neu beginnen',
  err_late_payment:
    'Ihre Zahlung kam an, als die Tickets schon vergeben waren. Sie erhalten Ihr Geld zurück.',
  act_late_payment: 'Neu beginnen',
  err_pending: 'Die Bestätigung Ihrer Zahlung dauert länger als üblich.',
  act_pending: 'Erneut prüfen',
  err_hold_limit:
    'Sie haben bereits so viele Tickets reserviert, wie eine Person gleichzeitig halten darf. Schließen Sie diese Reservierung zuerst ab oder geben Sie sie frei.',
  act_hold_limit: 'Zurück zu den Tickets',
  err_rate_limited:
    'Zu viele Versuche von Ihrer Verbindung gerade eben. Bitte warten Sie eine Minute.',
  act_rate_limited: 'Erneut versuchen',
};

export const messages: Record<Lang, Record<MessageKey, string>> = { en, de };

/** The buyer's language: the element's `lang`, else the page's, else English. */
export function resolveLang(attribute: string | null, pageLang: string): Lang {
  const tag = (attribute || pageLang || 'en').toLowerCase();
  return tag.startsWith('de') ? 'de' : 'en';
}

/** A message with `{name}` placeholders filled in (values are plain text, escaped by the view). */
export function t(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return messages[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

/** The sentence and the way forward for an error. */
export function errorWords(lang: Lang, kind: ErrorKind): { message: string; action: string } {
  const message = `err_${kind}` as const satisfies MessageKey;
  const action = `act_${kind}` as const satisfies MessageKey;
  return { message: t(lang, message), action: t(lang, action) };
}
