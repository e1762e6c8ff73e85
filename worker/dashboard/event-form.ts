import { decimalToMinor, minorToDecimal } from '../domain/currency';
import type { FieldError } from '../domain/errors';
import { fromWallTime, toWallTime } from '../domain/wall-time';

/**
 * The event editor's form, which works without JavaScript: flat field names in, the
 * organizer API's body out (validated afterwards by the same zod schemas), and the API's
 * error paths mapped back onto the fields that caused them.
 *
 * Field names: `title`, `slug`, `description`, `timezone`, `currency`, `startsAt`, `endsAt`,
 * `salesStartAt`, `salesEndAt` (wall times in the event's zone), `holdMinutes`,
 * `maxPerOrder`, `venue.name|address|city|country`, `types.N.id|key|name|price|capacity|hidden`
 * (rows in list order; `hidden` is a checkbox, "1"),
 * `quotas.N.name|size|types` (checkbox values: type keys), `waitingRoom.*`, `allowedOrigins`
 * (one per line), `testMode` (a checkbox, value `1`, read when `testMode.present` came too:
 * an unchecked box sends nothing).
 */
export type FormFields = Record<string, string | string[]>;

export interface EventForm {
  /** What the form shows: the values as typed, so a refused form comes back as it was sent. */
  values: FormFields;
  /** Messages by field name. */
  errors: Record<string, string>;
}

export interface ReadEventForm {
  body: Record<string, unknown>;
  errors: FieldError[];
  /** Body index -> form row, since blank rows are skipped. */
  typeRows: number[];
  quotaRows: number[];
}

const WAITING_ROOM_NUMBERS = [
  'activeLimit',
  'admitPerMinute',
  'admissionMinutes',
  'autoThreshold',
  'preQueueMinutes',
] as const;

/** One value of a field (the last one when a field came twice). */
export function field(fields: FormFields, name: string): string {
  const value = fields[name];
  return (Array.isArray(value) ? value.at(-1) : value)?.toString() ?? '';
}

function list(fields: FormFields, name: string): string[] {
  const value = fields[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
}

/** Row indices present in the form for a prefix (`types` -> [0, 1, 3]). */
export function rowIndices(fields: FormFields, prefix: string): number[] {
  const rows = new Set<number>();
  const pattern = new RegExp(`^${prefix}\\.(\\d{1,3})\\.`);
  for (const name of Object.keys(fields)) {
    const match = pattern.exec(name);
    if (match) rows.add(Number(match[1]));
  }
  return [...rows].sort((a, b) => a - b);
}

/** A lower-case key from a name: "VIP Balcony" -> "vip-balcony". */
export function keyFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

/**
 * Reads the form into an API body: every field the form has is sent, so a patched event ends
 * up exactly as shown. Blank rows (the form's "add another" rows) are left out; a blank key
 * or slug is derived from the name or title.
 */
export function readEventForm(
  fields: FormFields,
  options: { positions: boolean } = { positions: false },
): ReadEventForm {
  const errors: FieldError[] = [];
  const body: Record<string, unknown> = {};
  const timezone = field(fields, 'timezone').trim();
  const currency = field(fields, 'currency').trim().toUpperCase();

  for (const name of ['title', 'description'] as const) {
    if (name in fields) body[name] = field(fields, name);
  }
  const title = field(fields, 'title');
  const slug = field(fields, 'slug').trim();
  if ('slug' in fields) body.slug = slug || keyFromName(title).slice(0, 64);
  if (timezone) body.timezone = timezone;
  if (currency) body.currency = currency;

  for (const name of ['startsAt', 'endsAt', 'salesStartAt', 'salesEndAt'] as const) {
    if (!(name in fields)) continue;
    const wall = field(fields, name).trim();
    if (!wall) {
      body[name] = name === 'startsAt' ? '' : null;
      continue;
    }
    const instant = fromWallTime(wall, timezone || 'UTC');
    if (instant) body[name] = instant;
    else errors.push({ path: name, message: 'Enter a date and time' });
  }

  for (const name of ['holdMinutes', 'maxPerOrder'] as const) {
    if (!(name in fields)) continue;
    const number = wholeNumber(field(fields, name), name, errors);
    if (number !== undefined) body[name] = number;
  }
  if ('maxHeldPerClient' in fields) {
    // Empty: the default the API applies (twice the tickets per order).
    const text = field(fields, 'maxHeldPerClient').trim();
    body.maxHeldPerClient = text ? (wholeNumber(text, 'maxHeldPerClient', errors) ?? null) : null;
  }

  if ('venue.name' in fields) {
    const venue: Record<string, string> = { name: field(fields, 'venue.name') };
    for (const part of ['address', 'city'] as const) {
      const value = field(fields, `venue.${part}`).trim();
      if (value) venue[part] = value;
    }
    const country = field(fields, 'venue.country').trim().toUpperCase();
    if (country) venue.country = country;
    body.venue = venue;
  }

  const typeRows: number[] = [];
  const types: Record<string, unknown>[] = [];
  for (const row of rowIndices(fields, 'types')) {
    const at = (name: string) => field(fields, `types.${row}.${name}`).trim();
    const id = at('id');
    if (!id && !at('name') && !at('price') && !at('capacity') && !at('key')) continue;
    const type: Record<string, unknown> = id ? { id } : {};
    // The form's row order is the list's order (an existing event's patch takes positions).
    if (options.positions) type.position = types.length;
    type.hidden = at('hidden') === '1';
    type.name = at('name');
    type.key = at('key') || keyFromName(at('name'));
    const price = decimalToMinor(at('price') || '', currency || 'EUR');
    if (price.ok) type.priceMinor = price.minor;
    else errors.push({ path: `types.${row}.price`, message: price.message });
    const capacity = wholeNumber(at('capacity'), `types.${row}.capacity`, errors);
    if (capacity !== undefined) type.capacity = capacity;
    typeRows.push(row);
    types.push(type);
  }
  if (rowIndices(fields, 'types').length > 0) body.ticketTypes = types;

  const quotaRows: number[] = [];
  const quotas: Record<string, unknown>[] = [];
  for (const row of rowIndices(fields, 'quotas')) {
    const name = field(fields, `quotas.${row}.name`).trim();
    const sizeText = field(fields, `quotas.${row}.size`).trim();
    const members = list(fields, `quotas.${row}.types`);
    if (!name && !sizeText) continue;
    const size = wholeNumber(sizeText, `quotas.${row}.size`, errors);
    quotas.push({ name, size: size ?? 0, ticketTypes: members });
    quotaRows.push(row);
  }
  if ('quotas.present' in fields || quotaRows.length > 0) body.quotas = quotas;

  if ('waitingRoom.mode' in fields) {
    const room: Record<string, unknown> = { mode: field(fields, 'waitingRoom.mode') };
    for (const name of WAITING_ROOM_NUMBERS) {
      const text = field(fields, `waitingRoom.${name}`).trim();
      if (!text) continue;
      const number = wholeNumber(text, `waitingRoom.${name}`, errors);
      if (number !== undefined) room[name] = number;
    }
    body.waitingRoom = room;
  }

  if ('allowedOrigins' in fields) {
    body.allowedOrigins = field(fields, 'allowedOrigins')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean);
  }
  if ('testMode.present' in fields) body.testMode = list(fields, 'testMode').includes('1');
  return { body, errors, typeRows, quotaRows };
}

function wholeNumber(text: string, path: string, errors: FieldError[]): number | undefined {
  if (!/^\d{1,9}$/.test(text.trim())) {
    errors.push({ path, message: 'Enter a whole number' });
    return undefined;
  }
  return Number(text.trim());
}

/**
 * An API error path as the form field it belongs to: `ticketTypes.2.priceMinor` ->
 * `types.<row>.price`, `quotas.0.ticketTypes.1` -> `quotas.<row>.types`.
 */
export function formFieldOf(path: string, read: Pick<ReadEventForm, 'typeRows' | 'quotaRows'>) {
  const parts = path.split('.');
  const [head, index, name] = parts;
  if (head === 'ticketTypes' && index !== undefined) {
    const row = read.typeRows[Number(index)] ?? Number(index);
    const field = name === 'priceMinor' ? 'price' : (name ?? 'name');
    return `types.${row}.${field}`;
  }
  if (head === 'quotas' && index !== undefined) {
    const row = read.quotaRows[Number(index)] ?? Number(index);
    return `quotas.${row}.${name === 'ticketTypes' ? 'types' : (name ?? 'name')}`;
  }
  if (head === 'allowedOrigins') return 'allowedOrigins';
  return path;
}

/** Field errors keyed by form field; the first message for a field wins. */
export function errorsByField(
  errors: FieldError[],
  read: Pick<ReadEventForm, 'typeRows' | 'quotaRows'>,
): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const error of errors) {
    const name = formFieldOf(error.path, read);
    byField[name] ??= error.message;
  }
  return byField;
}

/** The organizer API's event view, as the editor's field values. */
export interface EditableEvent {
  title: string;
  slug: string;
  description: string;
  startsAt: string;
  endsAt: string | null;
  timezone: string;
  currency: string;
  venue: { name: string; address?: string; city?: string; country?: string };
  salesStartAt: string | null;
  salesEndAt: string | null;
  holdMinutes: number;
  maxPerOrder: number;
  maxHeldPerClient: number | null;
  ticketTypes: {
    id: string;
    key: string;
    name: string;
    priceMinor: number;
    capacity: number;
    hidden?: boolean;
  }[];
  quotas: { name: string; size: number; ticketTypes: string[] }[];
  waitingRoom: { mode: string } & Partial<Record<(typeof WAITING_ROOM_NUMBERS)[number], number>>;
  allowedOrigins: string[];
  testMode?: boolean;
}

export function eventFormValues(event: EditableEvent): FormFields {
  const wall = (iso: string | null) => (iso ? toWallTime(iso, event.timezone) : '');
  const values: FormFields = {
    title: event.title,
    slug: event.slug,
    description: event.description,
    timezone: event.timezone,
    currency: event.currency,
    startsAt: wall(event.startsAt),
    endsAt: wall(event.endsAt),
    salesStartAt: wall(event.salesStartAt),
    salesEndAt: wall(event.salesEndAt),
    holdMinutes: String(event.holdMinutes),
    maxPerOrder: String(event.maxPerOrder),
    maxHeldPerClient: event.maxHeldPerClient === null ? '' : String(event.maxHeldPerClient),
    'venue.name': event.venue.name,
    'venue.address': event.venue.address ?? '',
    'venue.city': event.venue.city ?? '',
    'venue.country': event.venue.country ?? '',
    'waitingRoom.mode': event.waitingRoom.mode,
    allowedOrigins: event.allowedOrigins.join('\n'),
    'quotas.present': '1',
    'testMode.present': '1',
    testMode: event.testMode ? '1' : '',
  };
  event.ticketTypes.forEach((type, row) => {
    values[`types.${row}.id`] = type.id;
    values[`types.${row}.key`] = type.key;
    values[`types.${row}.name`] = type.name;
    values[`types.${row}.price`] = minorToDecimal(type.priceMinor, event.currency);
    values[`types.${row}.capacity`] = String(type.capacity);
    if (type.hidden) values[`types.${row}.hidden`] = '1';
  });
  event.quotas.forEach((quota, row) => {
    values[`quotas.${row}.name`] = quota.name;
    values[`quotas.${row}.size`] = String(quota.size);
    values[`quotas.${row}.types`] = quota.ticketTypes;
  });
  for (const name of WAITING_ROOM_NUMBERS) {
    const value = event.waitingRoom[name];
    if (value !== undefined) values[`waitingRoom.${name}`] = String(value);
  }
  return values;
}

/** A "move up/down" button's intent: `move-type:<row>:up|down`. */
export function moveIntent(fields: FormFields): { row: number; direction: 'up' | 'down' } | null {
  const match = /^move-type:(\d{1,3}):(up|down)$/.exec(field(fields, 'intent'));
  if (!match) return null;
  return { row: Number(match[1]), direction: match[2] === 'up' ? 'up' : 'down' };
}

/**
 * The form with a ticket-type row swapped with its neighbour (the no-JS reorder): every
 * `types.<row>.*` value trades places, so the rows keep their numbers and the saved order is
 * the shown one. A move past either end changes nothing.
 */
export function moveTypeRow(fields: FormFields, row: number, direction: 'up' | 'down'): FormFields {
  const rows = rowIndices(fields, 'types');
  const at = rows.indexOf(row);
  const other = rows[direction === 'up' ? at - 1 : at + 1];
  if (at < 0 || other === undefined) return fields;
  const moved: FormFields = {};
  for (const [name, value] of Object.entries(fields)) {
    const match = /^types\.(\d{1,3})\.(.+)$/.exec(name);
    const index = match ? Number(match[1]) : null;
    if (match && (index === row || index === other)) {
      moved[`types.${index === row ? other : row}.${match[2]}`] = value;
    } else moved[name] = value;
  }
  return moved;
}
