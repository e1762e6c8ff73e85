/**
 * Prefixed random ids (`evt_…`, `ord_…`): never sequential, safe to show in URLs.
 * A hold id embeds its event's id so any Worker can route it to the event's Durable Object
 * without a lookup.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lowercase
const RANDOM_LENGTH = 20; // 100 bits

export type IdPrefix =
  | 'org'
  | 'key'
  | 'evt'
  | 'tt'
  | 'quo'
  | 'ord'
  | 'tkt'
  | 'pay'
  | 'pe'
  | 're'
  | 'au'
  | 'mail'
  | 'per'
  | 'mem'
  | 'ses'
  | 'bses'
  | 'inv'
  | 'cl'
  | 'dvc'
  | 'rdf';

export function randomToken(length = RANDOM_LENGTH): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return out;
}

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomToken()}`;
}

const HOLD_ID = /^hold_([0-9a-z]{20})([0-9a-z]{20})$/;

export function newHoldId(eventId: string): string {
  return `hold_${eventId.slice('evt_'.length)}${randomToken()}`;
}

/** The event a hold belongs to, or null when the id is not a well-formed hold id. */
export function eventIdOfHold(holdId: string): string | null {
  const match = HOLD_ID.exec(holdId);
  return match ? `evt_${match[1]}` : null;
}

const EVENT_ID = /^evt_[0-9a-z]{20}$/;

export function isEventId(value: string): boolean {
  return EVENT_ID.test(value);
}

/**
 * The id of an event's default check-in list ("All tickets", entry): derived from the event's,
 * so the check-in that predates lists finds it without a lookup, in the Worker and the object.
 */
export function defaultCheckinListId(eventId: string): string {
  return `cl_${eventId.slice('evt_'.length)}`;
}
