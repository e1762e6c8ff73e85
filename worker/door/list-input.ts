import { z } from 'zod';
import { isoInstant, plainText } from '../catalog/event-input';

/** Bodies of the organizer's check-in list routes (API.md "Check-in lists"). */

const ticketTypeIds = z.array(z.string().min(1).max(64)).max(100).nullable();
const gate = plainText(60, { min: 1 }).nullable();

const windowOrder = (list: { validFrom?: string | null; validUntil?: string | null }) =>
  !list.validFrom || !list.validUntil || Date.parse(list.validUntil) > Date.parse(list.validFrom);
const windowMessage = { message: 'validUntil must be after validFrom', path: ['validUntil'] };

export const createListSchema = z
  .object({
    name: plainText(100, { min: 1 }),
    ticketTypeIds: ticketTypeIds.default(null),
    direction: z.enum(['entry', 'exit']).default('entry'),
    validFrom: isoInstant.nullable().default(null),
    validUntil: isoInstant.nullable().default(null),
    gate: gate.default(null),
  })
  .strict()
  .refine(windowOrder, windowMessage);

/** A list's direction is fixed once created: its scans mean coming in, or leaving. */
export const patchListSchema = z
  .object({
    name: plainText(100, { min: 1 }).optional(),
    ticketTypeIds: ticketTypeIds.optional(),
    validFrom: isoInstant.nullable().optional(),
    validUntil: isoInstant.nullable().optional(),
    gate: gate.optional(),
  })
  .strict()
  .refine(windowOrder, windowMessage);

export type CreateListInput = z.output<typeof createListSchema>;
export type PatchListInput = z.output<typeof patchListSchema>;

export const createDeviceSchema = z
  .object({
    name: plainText(100, { min: 1 }),
    /** The lists the device may scan on; null or absent: every list of the event. */
    listIds: z.array(z.string().min(1).max(64)).min(1).max(50).nullable().default(null),
  })
  .strict();
