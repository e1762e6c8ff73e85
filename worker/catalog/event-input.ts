import { z } from 'zod';
import { plainTextProblem } from '../domain/plain-text';
import { MAX_PAYMENT_MINOR } from '../domain/pricing';
import { instantRangeProblem, scheduleErrors } from './event-schedule';

/** Validation of the organizer's event body (API.md "Organizer API"). */

export const isoInstant = z.iso
  .datetime({
    offset: true,
    message: 'Expected an ISO 8601 date-time, e.g. 2027-03-01T19:00:00Z',
  })
  .superRefine((iso, ctx) => {
    const problem = instantRangeProblem(iso, Date.now());
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * Text people read: trimmed (one-line fields), length-checked, and free of control and
 * bidi override characters (domain/plain-text.ts), each reported at its own field.
 */
export function plainText(max: number, options: { min?: number; multiline?: boolean } = {}) {
  const base = options.multiline ? z.string() : z.string().trim();
  const min = options.min ?? 0;
  // Said to people (the dashboard shows it at the field), not zod's "Too small: …".
  return base
    .min(min, min === 1 ? 'Required: this can not be empty' : `At least ${min} characters`)
    .max(max, `At most ${max} characters`)
    .superRefine((text, ctx) => {
      const problem = plainTextProblem(text, { multiline: options.multiline ?? false });
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

const timezone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'Unknown IANA time zone' },
);

const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 code in upper case, e.g. EUR')
  .refine((code) => Intl.supportedValuesOf('currency').includes(code), {
    message: 'Unknown currency',
  });

export const slugSchema = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/,
    'Lowercase letters, digits and dashes; 1-64 characters',
  );

const ticketTypeKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'Lowercase letters, digits, - and _; 1-40 characters');
/** A ticket's price; at most what Stripe charges in one payment (an order of one). */
const money = z.number().int('Money is integer minor units').min(0).max(MAX_PAYMENT_MINOR);
const capacity = z.number().int().min(0).max(1_000_000);

const venue = z
  .object({
    name: plainText(200, { min: 1 }),
    address: plainText(300).optional(),
    city: plainText(120).optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, e.g. DE')
      .optional(),
  })
  .strict();

export const waitingRoomSchema = z
  .object({
    mode: z.enum(['off', 'always', 'auto']),
    activeLimit: z.number().int().min(1).max(1_000_000).optional(),
    admitPerMinute: z.number().int().min(1).max(1_000_000).optional(),
    admissionMinutes: z.number().int().min(1).max(240).optional(),
    autoThreshold: z.number().int().min(1).max(1_000_000).optional(),
    /** The pre-queue opens this many minutes before `salesStartAt` (0: no pre-queue). */
    preQueueMinutes: z.number().int().min(0).max(10_080).optional(),
  })
  .strict();

/**
 * Origins of the organizer's own sites that may embed the widget (CORS). Only the origin
 * part counts, so `https://example.org/` and `https://example.org` are the same entry.
 */
const allowedOrigin = z
  .string()
  .max(200)
  .transform((value, ctx) => {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    const local = url?.hostname === 'localhost' || url?.hostname === '127.0.0.1';
    if (
      !url ||
      !(url.protocol === 'https:' || (url.protocol === 'http:' && local)) ||
      url.username ||
      url.password ||
      (url.pathname !== '/' && url.pathname !== '') ||
      url.search ||
      url.hash
    ) {
      ctx.addIssue({
        code: 'custom',
        message: 'Expected an origin such as https://example.org (http only for localhost)',
      });
      return z.NEVER;
    }
    return url.origin;
  });

const newTicketType = z
  .object({
    key: ticketTypeKey,
    name: plainText(120, { min: 1 }),
    priceMinor: money,
    capacity,
    /** Not shown or sold to buyers; its sold tickets and stats stay (default false). */
    hidden: z.boolean().optional(),
  })
  .strict();

/** A type's place in the list on a patch: 0 is first (event-order.ts). */
const position = z.number().int().min(0).max(49).optional();

const quota = z
  .object({
    name: plainText(120, { min: 1 }),
    size: capacity,
    ticketTypes: z.array(ticketTypeKey).min(1).max(100),
  })
  .strict();

const eventFields = {
  title: plainText(200, { min: 1 }),
  slug: slugSchema,
  description: plainText(20_000, { multiline: true }),
  startsAt: isoInstant,
  endsAt: isoInstant.nullable(),
  timezone,
  currency,
  venue,
  salesStartAt: isoInstant.nullable(),
  salesEndAt: isoInstant.nullable(),
  holdMinutes: z.number().int().min(1).max(60),
  maxPerOrder: z.number().int().min(1).max(100),
  /** Tickets one client (address, IPv6 /64) may hold at once; null: 2 x maxPerOrder. */
  maxHeldPerClient: z.number().int().min(1).max(10_000).nullable(),
  quotas: z.array(quota).max(50),
  waitingRoom: waitingRoomSchema,
  allowedOrigins: z.array(allowedOrigin).max(20),
  /** Test mode (DESIGN.md "Test mode"): sandbox payments, TEST tickets, left out of stats. */
  testMode: z.boolean(),
};

function uniqueKeys(types: { key?: string | undefined }[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  types.forEach((type, i) => {
    if (!type.key) return;
    if (seen.has(type.key))
      ctx.addIssue({ code: 'custom', path: ['ticketTypes', i, 'key'], message: 'Duplicate key' });
    seen.add(type.key);
  });
}

/** The date rules among the fields given (event-schedule.ts); a start given must be ahead. */
function orderedTimes(
  body: {
    startsAt?: string | undefined;
    endsAt?: string | null | undefined;
    salesStartAt?: string | null | undefined;
    salesEndAt?: string | null | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  for (const error of scheduleErrors(body, Date.now(), { startsInFuture: true })) {
    ctx.addIssue({ code: 'custom', path: [error.path], message: error.message });
  }
}

/** A cap below one full order would refuse an order the event allows. */
export function heldCapError(body: {
  maxPerOrder: number;
  maxHeldPerClient: number | null;
}): string | null {
  return body.maxHeldPerClient !== null && body.maxHeldPerClient < body.maxPerOrder
    ? `Must be at least maxPerOrder (${body.maxPerOrder})`
    : null;
}

function heldCapCoversOrder(
  body: { maxPerOrder: number; maxHeldPerClient: number | null },
  ctx: z.RefinementCtx,
): void {
  const message = heldCapError(body);
  if (message) ctx.addIssue({ code: 'custom', path: ['maxHeldPerClient'], message });
}

export const createEventSchema = z
  .object({
    ...eventFields,
    description: eventFields.description.default(''),
    endsAt: eventFields.endsAt.default(null),
    salesStartAt: eventFields.salesStartAt.default(null),
    salesEndAt: eventFields.salesEndAt.default(null),
    holdMinutes: eventFields.holdMinutes.default(10),
    maxPerOrder: eventFields.maxPerOrder.default(10),
    maxHeldPerClient: eventFields.maxHeldPerClient.default(null),
    ticketTypes: z.array(newTicketType).min(1).max(50),
    quotas: eventFields.quotas.default([]),
    waitingRoom: waitingRoomSchema.default({ mode: 'off' }),
    allowedOrigins: eventFields.allowedOrigins.default([]),
    testMode: eventFields.testMode.default(false),
  })
  .strict()
  .superRefine((body, ctx) => {
    uniqueKeys(body.ticketTypes, ctx);
    orderedTimes(body, ctx);
    heldCapCoversOrder(body, ctx);
  });

/** A `ticketTypes` entry with an `id` changes that type; one without adds a type. */
const patchTicketType = z.union([
  newTicketType
    .partial()
    .extend({ id: z.string().startsWith('tt_'), position })
    .strict(),
  newTicketType.extend({ position }).strict(),
]);

export const patchEventSchema = z
  .object({
    ...Object.fromEntries(Object.entries(eventFields).map(([k, v]) => [k, v.optional()])),
    ticketTypes: z.array(patchTicketType).max(50).optional(),
  } as { [K in keyof typeof eventFields]: z.ZodOptional<(typeof eventFields)[K]> } & {
    ticketTypes: z.ZodOptional<z.ZodArray<typeof patchTicketType>>;
  })
  .strict()
  .superRefine((body, ctx) => {
    uniqueKeys(body.ticketTypes ?? [], ctx);
    orderedTimes(body, ctx);
  });

export type CreateEventInput = z.output<typeof createEventSchema>;
export type PatchEventInput = z.output<typeof patchEventSchema>;

/** Shared with the dashboard's workspace form: a workspace's default currency and time zone. */
export { currency as currencySchema, timezone as timezoneSchema };
