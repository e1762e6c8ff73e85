import type { z } from 'zod';
import type { FieldError } from '../domain/errors';
import { fromWallTime, toWallTime } from '../domain/wall-time';
import {
  type CreateListInput,
  createListSchema,
  type PatchListInput,
  patchListSchema,
} from '../door/list-input';
import type { CheckinList } from '../door/lists';
import { type FormFields, field } from './event-form';

/**
 * The check-in list form of the dashboard, which works without JavaScript. Field names:
 * `name`, `tickets` (`all` | `some`), `ticketTypeIds` (checkboxes), `direction` (`entry` |
 * `exit`; only when creating), `validFrom` / `validUntil` (wall times in the event's zone;
 * empty: no limit), `gate`. The body is checked by the organizer API's own schemas; errors
 * come back per field in words a person understands.
 */

export type ListFormErrors = Record<string, string>;

export type ReadListForm<T> = { ok: true; body: T } | { ok: false; errors: ListFormErrors };

function many(fields: FormFields, name: string): string[] {
  const value = fields[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
}

const LABELS: Record<string, string> = {
  name: 'Name',
  tickets: 'Tickets',
  ticketTypeIds: 'Ticket types',
  direction: 'Direction',
  validFrom: 'Opens',
  validUntil: 'Closes',
  gate: 'Gate',
};

export const listFieldLabel = (name: string) => LABELS[name] ?? name;

/** A zod issue in the words of the form: what to do, not what the schema said. */
function humanMessage(issue: z.core.$ZodIssue): string {
  const name = String(issue.path[0] ?? '');
  if (issue.code === 'too_small' && name === 'name') return 'Enter a name';
  if (issue.code === 'too_small' && name === 'gate') return 'Enter a gate, or leave it empty';
  if (issue.code === 'too_big' && (name === 'name' || name === 'gate')) {
    return `Use at most ${issue.maximum} characters`;
  }
  if (name === 'validUntil' && issue.message.includes('after validFrom')) {
    return 'The list must close after it opens';
  }
  if (name === 'ticketTypeIds') return 'Choose ticket types of this event';
  return issue.message;
}

/** Errors of the domain (e.g. a ticket type of another event) at the form's fields. */
export function listFormErrors(errors: FieldError[]): ListFormErrors {
  const out: ListFormErrors = {};
  for (const error of errors) {
    const name = error.path.split('.')[0] ?? error.path;
    out[name] ??= name === 'ticketTypeIds' ? 'Choose ticket types of this event' : error.message;
  }
  return out;
}

/** Reads the form into the body of `POST` (create) or `PATCH` (edit) `…/checkin-lists`. */
export function readListForm(
  fields: FormFields,
  timeZone: string,
  mode: 'create',
): ReadListForm<CreateListInput>;
export function readListForm(
  fields: FormFields,
  timeZone: string,
  mode: 'edit',
): ReadListForm<PatchListInput>;
export function readListForm(
  fields: FormFields,
  timeZone: string,
  mode: 'create' | 'edit',
): ReadListForm<CreateListInput | PatchListInput> {
  const errors: ListFormErrors = {};
  const body: Record<string, unknown> = { name: field(fields, 'name'), gate: null };
  const tickets = field(fields, 'tickets') || 'all';
  if (tickets === 'all') body.ticketTypeIds = null;
  else if (tickets === 'some') {
    const ids = many(fields, 'ticketTypeIds');
    if (ids.length === 0) errors.ticketTypeIds = 'Choose at least one ticket type, or all tickets';
    body.ticketTypeIds = ids;
  } else errors.tickets = 'Choose all tickets or some ticket types';
  if (mode === 'create') {
    const direction = field(fields, 'direction') || 'entry';
    if (direction === 'entry' || direction === 'exit') body.direction = direction;
    else errors.direction = 'Choose entry or exit';
  }
  for (const name of ['validFrom', 'validUntil'] as const) {
    const wall = field(fields, name).trim();
    const instant = wall === '' ? null : fromWallTime(wall, timeZone);
    if (wall !== '' && instant === null) {
      errors[name] = 'Enter a date and time, e.g. 2027-03-01 19:00';
    }
    body[name] = instant;
  }
  const gate = field(fields, 'gate').trim();
  if (gate !== '') body.gate = gate;

  const schema = mode === 'create' ? createListSchema : patchListSchema;
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'name');
      errors[name] ??= humanMessage(issue);
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, body: parsed.data };
}

/** A stored list as the form's values (times as wall times in the event's zone). */
export function listFormValues(list: CheckinList, timeZone: string): FormFields {
  return {
    name: list.name,
    tickets: list.ticketTypeIds === null ? 'all' : 'some',
    ticketTypeIds: list.ticketTypeIds ?? [],
    direction: list.direction,
    validFrom: list.validFrom ? toWallTime(list.validFrom, timeZone) : '',
    validUntil: list.validUntil ? toWallTime(list.validUntil, timeZone) : '',
    gate: list.gate ?? '',
  };
}
