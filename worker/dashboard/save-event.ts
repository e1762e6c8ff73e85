import type { z } from 'zod';
import { createEvent, patchEvent } from '../catalog/event-commands';
import { createEventSchema, patchEventSchema } from '../catalog/event-input';
import type { EventRecord } from '../catalog/event-record';
import type { Db } from '../db/client';
import { AppError, type FieldError } from '../domain/errors';
import { fieldErrors } from '../http/validate';
import { errorsByField, type FormFields, readEventForm } from './event-form';

export type SaveResult =
  | { ok: true; record: EventRecord }
  | { ok: false; errors: Record<string, string> };

/**
 * Saves the editor's form through the same schemas and commands as the organizer API, so
 * the dashboard can never accept what the API refuses. Refusals come back per field;
 * anything unexpected is thrown.
 */
export async function saveEventForm(
  db: Db,
  env: Env,
  organizerId: string,
  fields: FormFields,
  eventId?: string,
): Promise<SaveResult> {
  const read = readEventForm(fields, { positions: eventId !== undefined });
  const schema: z.ZodType = eventId ? patchEventSchema : createEventSchema;
  const parsed = schema.safeParse(read.body);
  const errors: FieldError[] = [...read.errors];
  if (!parsed.success) errors.push(...fieldErrors(parsed.error));
  if (errors.length > 0) return { ok: false, errors: errorsByField(errors, read) };
  try {
    const record = eventId
      ? await patchEvent(
          db,
          env,
          organizerId,
          eventId,
          parsed.data as z.output<typeof patchEventSchema>,
        )
      : await createEvent(db, env, organizerId, parsed.data as z.output<typeof createEventSchema>);
    return { ok: true, record };
  } catch (error) {
    const refused = refusalAsFieldErrors(error, fields);
    if (!refused) throw error;
    return { ok: false, errors: errorsByField(refused, read) };
  }
}

/** The commands' refusals that belong to a field: taken slug, capacity below sold, test mode. */
function refusalAsFieldErrors(error: unknown, fields: FormFields): FieldError[] | null {
  if (!(error instanceof AppError)) return null;
  // Test mode can't change (live orders) or can't go live here (catalog/test-mode.ts).
  if (
    error.code === 'payments_not_configured' ||
    (error.code === 'invalid_state' && 'liveOrders' in error.extra)
  ) {
    return [{ path: 'testMode', message: error.detail }];
  }
  if (error.code === 'slug_taken') return [{ path: 'slug', message: 'Another event uses it' }];
  if (error.code === 'validation_failed' && Array.isArray(error.extra.errors)) {
    return error.extra.errors as FieldError[];
  }
  if (error.code === 'capacity_below_sold') {
    const { ticketTypeId, quotaId, minimum } = error.extra as {
      ticketTypeId?: string;
      quotaId?: string;
      minimum?: number;
    };
    const message = `Can’t go below ${minimum ?? 'what is sold plus held'} (sold plus held)`;
    const row = Object.entries(fields).find(
      ([name, value]) => /^types\.\d+\.id$/.test(name) && value === ticketTypeId,
    );
    if (ticketTypeId && row) return [{ path: row[0].replace(/id$/, 'capacity'), message }];
    if (quotaId) return [{ path: 'quotas', message: `A quota: ${message}` }];
    return [{ path: 'ticketTypes', message }];
  }
  return null;
}
