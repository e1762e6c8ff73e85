import { z } from 'zod';
import { plainText } from '../catalog/event-input';

/** Bodies of the door device routes (API.md "Door devices"). */

/** A scan's id, chosen by the scanner: unique per device, so a retry is the same scan. */
export const nonceSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'Letters, digits, _ and -; 8-64 characters');

const code = z.string().min(1).max(2048);
const ticketId = z.string().regex(/^tkt_[0-9a-z]{1,64}$/, 'A ticket id (tkt_…)');
const listId = z.string().min(1).max(64);
export const gateSchema = plainText(60, { min: 1 });
const gate = gateSchema;

/** Exactly one of `code` (from the QR) and `ticketId` (from a search result). */
function oneTicket(scan: { code?: string | undefined; ticketId?: string | undefined }): boolean {
  return (scan.code === undefined) !== (scan.ticketId === undefined);
}
const oneTicketMessage = { message: 'Send either code or ticketId', path: ['code'] };

export const doorScanSchema = z
  .object({
    code: code.optional(),
    ticketId: ticketId.optional(),
    listId: listId.optional(),
    gate: gate.optional(),
    nonce: nonceSchema,
  })
  .strict()
  .refine(oneTicket, oneTicketMessage);

export const DEVICE_RESULTS = [
  'ok',
  'already_checked_in',
  'invalid',
  'wrong_event',
  'refunded',
  'canceled',
  'not_on_list',
  'not_valid_yet',
  'not_valid_anymore',
  'test_ticket',
] as const;

export const MAX_SYNC_BATCH = 500;
/** How far back an offline scan may lie (a device kept offline through a festival weekend). */
export const MAX_SCAN_AGE_MS = 14 * 86_400_000;
/** How far ahead of our clock a device's clock may run. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const scannedAt = z.iso.datetime({ offset: true, message: 'Expected an ISO 8601 date-time' });

const offlineScan = z
  .object({
    nonce: nonceSchema,
    code: code.optional(),
    ticketId: ticketId.optional(),
    listId,
    scannedAt,
    gate: gate.nullable().optional(),
    result: z.enum(DEVICE_RESULTS),
  })
  .strict()
  .refine(oneTicket, oneTicketMessage);

export type OfflineScanInput = z.output<typeof offlineScan>;

export const syncSchema = z
  .object({
    scans: z
      .array(offlineScan)
      .min(1)
      .max(MAX_SYNC_BATCH, `At most ${MAX_SYNC_BATCH} scans per batch; send the rest in another`),
  })
  .strict();

export const searchQuery = z.object({
  q: z.string().trim().min(2, 'At least 2 characters').max(100),
  cursor: z
    .string()
    .regex(/^tkt_[0-9a-z]{1,64}$/, 'A cursor from this API')
    .optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const bundleQuery = z.object({
  since: z.iso.datetime({ offset: true, message: 'Expected an ISO 8601 date-time' }).optional(),
  cursor: z
    .string()
    .regex(/^tkt_[0-9a-z]{1,64}$/, 'A cursor from this API')
    .optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(5000),
});
