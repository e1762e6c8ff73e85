/**
 * D1 schema: the durable record of business facts. Availability is NOT here; the event's
 * Durable Object owns it (see DESIGN.md "Who owns what").
 * Times are ISO 8601 UTC strings; money is integer minor units.
 */
import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import type { Role } from '../access/roles';

const createdAt = () =>
  text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`);

/** A workspace. Slug, country, currency and time zone are set by the dashboard's sign-up. */
export const organizers = sqliteTable(
  'organizers',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    slug: text('slug'),
    /** ISO 3166-1 alpha-2. */
    country: text('country'),
    /** ISO 4217: the default currency of new events. */
    currency: text('currency'),
    /** IANA time zone: the default of new events. */
    timezone: text('timezone'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('organizers_slug').on(t.slug)],
);

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    organizerId: text('organizer_id')
      .notNull()
      .references(() => organizers.id),
    /** SHA-256 of the key, hex; the key itself is never stored. */
    keyHash: text('key_hash').notNull(),
    /** The key's name, shown in the dashboard. */
    label: text('label').notNull(),
    /** Keys made before roles existed act as admin on every event, as they always did. */
    role: text('role').$type<Role>().notNull().default('admin'),
    /** JSON list of event ids, or null for every event. */
    eventScope: text('event_scope', { mode: 'json' }).$type<string[]>(),
    /** First characters of the key, to tell keys apart in a list. */
    prefix: text('prefix'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    lastUsedAt: text('last_used_at'),
    revokedAt: text('revoked_at'),
  },
  (t) => [
    uniqueIndex('api_keys_hash').on(t.keyHash),
    index('api_keys_organizer').on(t.organizerId),
  ],
);

export type EventStatus = 'draft' | 'on_sale' | 'canceled';

export const events = sqliteTable(
  'events',
  {
    id: text('id').primaryKey(),
    organizerId: text('organizer_id')
      .notNull()
      .references(() => organizers.id),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    startsAt: text('starts_at').notNull(),
    endsAt: text('ends_at'),
    timezone: text('timezone').notNull(),
    currency: text('currency').notNull(),
    /** JSON: {name, address, city, country}. */
    venue: text('venue', { mode: 'json' }).$type<Venue>().notNull(),
    salesStartAt: text('sales_start_at'),
    salesEndAt: text('sales_end_at'),
    holdMinutes: integer('hold_minutes').notNull(),
    maxPerOrder: integer('max_per_order').notNull(),
    /** Tickets one client may hold at once (null: 2 x maxPerOrder; DESIGN.md "Limits"). */
    maxHeldPerClient: integer('max_held_per_client'),
    status: text('status').$type<EventStatus>().notNull().default('draft'),
    /** JSON: waiting room settings as given in the API. */
    waitingRoom: text('waiting_room', { mode: 'json' }).$type<WaitingRoomSettings>().notNull(),
    /** JSON: origins allowed to call the storefront API from the browser (the widget). */
    allowedOrigins: text('allowed_origins', { mode: 'json' })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    /**
     * Test mode: orders are paid through the sandbox (or Stripe test keys), marked TEST,
     * left out of stats and payouts, refused at a live door (DESIGN.md "Test mode").
     */
    testMode: integer('test_mode', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('events_slug').on(t.slug), index('events_organizer').on(t.organizerId)],
);

export interface Venue {
  name: string;
  address?: string | undefined;
  city?: string | undefined;
  country?: string | undefined;
}

export interface WaitingRoomSettings {
  mode: 'off' | 'always' | 'auto';
  activeLimit?: number | undefined;
  admitPerMinute?: number | undefined;
  admissionMinutes?: number | undefined;
  autoThreshold?: number | undefined;
  preQueueMinutes?: number | undefined;
}

export const ticketTypes = sqliteTable(
  'ticket_types',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id),
    key: text('key').notNull(),
    name: text('name').notNull(),
    priceMinor: integer('price_minor').notNull(),
    capacity: integer('capacity').notNull(),
    position: integer('position').notNull(),
    /** Not shown or sold to buyers (storefront, widget, hosted page); sales and stats stay. */
    hidden: integer('hidden', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [uniqueIndex('ticket_types_event_key').on(t.eventId, t.key)],
);

export const quotas = sqliteTable(
  'quotas',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id),
    name: text('name').notNull(),
    size: integer('size').notNull(),
  },
  (t) => [index('quotas_event').on(t.eventId)],
);

export const quotaTicketTypes = sqliteTable(
  'quota_ticket_types',
  {
    quotaId: text('quota_id')
      .notNull()
      .references(() => quotas.id),
    ticketTypeId: text('ticket_type_id')
      .notNull()
      .references(() => ticketTypes.id),
  },
  (t) => [primaryKey({ columns: [t.quotaId, t.ticketTypeId] })],
);

export const ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'partially_refunded',
  'refunded',
  'expired',
  'canceled',
  'refund_pending',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const orders = sqliteTable(
  'orders',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id),
    organizerId: text('organizer_id').notNull(),
    status: text('status').$type<OrderStatus>().notNull(),
    holdId: text('hold_id').notNull(),
    /** Client-chosen key of the checkout request; one order per key. */
    idempotencyKey: text('idempotency_key').notNull(),
    /** SHA-256 of the checkout body, to tell a retry from a reused key. */
    requestHash: text('request_hash').notNull(),
    buyerName: text('buyer_name').notNull(),
    buyerEmail: text('buyer_email').notNull(),
    totalMinor: integer('total_minor').notNull(),
    refundedMinor: integer('refunded_minor').notNull().default(0),
    currency: text('currency').notNull(),
    /** Chosen per order at checkout (payments/provider-choice.ts) and kept: its webhook settles it. */
    paymentProvider: text('payment_provider').$type<'sandbox' | 'stripe' | 'none'>().notNull(),
    paymentId: text('payment_id'),
    /** Copied from the event at checkout: switching the event later never changes an order. */
    testMode: integer('test_mode', { mode: 'boolean' }).notNull().default(false),
    /** When the hold (extended for payment) lapses; the sweep expires unpaid orders after it. */
    expiresAt: text('expires_at').notNull(),
    /** Set when a payment failed; the buyer may try again while the hold lives. */
    lastPaymentError: text('last_payment_error'),
    createdAt: createdAt(),
    updatedAt: text('updated_at').notNull(),
    paidAt: text('paid_at'),
  },
  (t) => [
    uniqueIndex('orders_idempotency_key').on(t.idempotencyKey),
    uniqueIndex('orders_hold').on(t.holdId),
    index('orders_event_status').on(t.eventId, t.status),
    index('orders_organizer_created').on(t.organizerId, t.createdAt),
    index('orders_payment').on(t.paymentId),
    index('orders_status_expiry').on(t.status, t.expiresAt),
    // Reconciliation: the events whose orders changed in its window.
    index('orders_updated').on(t.updatedAt),
    // "My tickets" finds a buyer's orders by address, whatever case it was typed in.
    index('orders_buyer_email_lower').on(sql`lower(${t.buyerEmail})`),
  ],
);

export const orderLines = sqliteTable(
  'order_lines',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    ticketTypeId: text('ticket_type_id').notNull(),
    name: text('name').notNull(),
    quantity: integer('quantity').notNull(),
    unitPriceMinor: integer('unit_price_minor').notNull(),
    lineTotalMinor: integer('line_total_minor').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.ticketTypeId] })],
);

export const tickets = sqliteTable(
  'tickets',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    eventId: text('event_id').notNull(),
    ticketTypeId: text('ticket_type_id').notNull(),
    /** 0-based position within the order: makes ticket issuing idempotent. */
    position: integer('position').notNull(),
    code: text('code').notNull(),
    status: text('status').$type<'valid' | 'revoked'>().notNull().default('valid'),
    checkedInAt: text('checked_in_at'),
    /**
     * The refund that claimed this ticket (a refund by ticket, DESIGN.md "Refunds by ticket"):
     * set in the claim's batch only while null, so two refunds never take the same ticket;
     * cleared again when that refund fails.
     */
    refundId: text('refund_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('tickets_order_position').on(t.orderId, t.position),
    index('tickets_refund').on(t.refundId),
    // The door's offline bundle reads an event's tickets, all or those issued since a time.
    index('tickets_event_created').on(t.eventId, t.createdAt),
  ],
);

export const payments = sqliteTable(
  'payments',
  {
    id: text('id').primaryKey(),
    provider: text('provider').$type<'sandbox' | 'stripe'>().notNull(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').notNull(),
    /** PaymentStatus (worker/payments/provider.ts); `canceled` once an expired order's is. */
    status: text('status')
      .$type<
        'requires_payment' | 'requires_action' | 'processing' | 'succeeded' | 'failed' | 'canceled'
      >()
      .notNull(),
    /** Stripe Connect: the organizer's account the charge is transferred to (null: none). */
    destinationAccountId: text('destination_account_id'),
    /** Stripe Connect: the platform's fee kept from the charge, our minor units. */
    applicationFeeMinor: integer('application_fee_minor'),
    createdAt: createdAt(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('payments_order').on(t.orderId),
    // Reconciliation: D1's succeeded payments of a window.
    index('payments_created').on(t.createdAt),
  ],
);

/** Verified provider events; the unique index drops duplicates at the door. */
export const paymentEvents = sqliteTable(
  'payment_events',
  {
    id: text('id').primaryKey(),
    provider: text('provider').$type<'sandbox' | 'stripe'>().notNull(),
    providerEventId: text('provider_event_id').notNull(),
    type: text('type').notNull(),
    /** ProviderEventKind (worker/payments/provider.ts). */
    kind: text('kind')
      .$type<
        | 'payment_succeeded'
        | 'payment_failed'
        | 'payment_processing'
        | 'payment_requires_action'
        | 'payment_canceled'
        | 'refund_succeeded'
        | 'refund_failed'
        | 'ignored'
      >()
      .notNull(),
    paymentId: text('payment_id'),
    /** Refund events: the provider's refund id (`re_…` at Stripe). */
    providerRefundId: text('provider_refund_id'),
    /** Refund events: our claim's id, from the refund's metadata (`refundId`). */
    refundId: text('refund_id'),
    orderId: text('order_id'),
    amountMinor: integer('amount_minor'),
    currency: text('currency'),
    failureMessage: text('failure_message'),
    /** The raw body as received, for audits and replays. */
    payload: text('payload').notNull(),
    receivedAt: createdAt(),
    processedAt: text('processed_at'),
    outcome: text('outcome'),
  },
  (t) => [
    uniqueIndex('payment_events_provider_event').on(t.provider, t.providerEventId),
    index('payment_events_unprocessed').on(t.processedAt, t.receivedAt),
    // Reconciliation: the webhooks of a window.
    index('payment_events_received').on(t.receivedAt),
  ],
);

export type RefundState = 'pending' | 'succeeded' | 'failed';
/** Who asked: an organizer, the late-payment path, or an event's cancellation run. */
export type RefundReason = 'organizer' | 'late_payment' | 'event_canceled' | 'outside';

/**
 * A refund is claimed here before the provider is called (DESIGN.md "Money"): `pending` rows
 * count against what is left to refund, `failed` ones do not. The row id is the provider's
 * idempotency key; (order, seq) is unique, so two claims can never share a place.
 */
export const refunds = sqliteTable(
  'refunds',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    /** 1, 2, … per order: the claim's place, written in the claim's one statement. */
    seq: integer('seq').notNull().default(1),
    amountMinor: integer('amount_minor').notNull(),
    reason: text('reason').$type<RefundReason>().notNull(),
    /** Rows from before claims existed were all executed: they default to succeeded. */
    state: text('state').$type<RefundState>().notNull().default('succeeded'),
    providerRefundId: text('provider_refund_id'),
    /** Why the provider refused (state `failed`), or the last transient error (pending). */
    lastError: text('last_error'),
    /** Provider calls made for this row (the request's own, then the sweep's retries). */
    attempts: integer('attempts').notNull().default(0),
    /** The organizer who asked (null for automatic refunds). */
    organizerId: text('organizer_id'),
    createdAt: createdAt(),
    settledAt: text('settled_at'),
  },
  (t) => [
    index('refunds_order').on(t.orderId),
    uniqueIndex('refunds_order_seq').on(t.orderId, t.seq),
    index('refunds_state_created').on(t.state, t.createdAt),
  ],
);

/**
 * State of the sandbox payment provider: stands in for the provider's own database. Payment
 * ids are random, never derived from the order; the caller's idempotency key is unique, so a
 * repeated create returns the same payment, as Stripe's does. No return URL is kept here: it
 * may hold the order token, so only the buyer's own redirect URL carries it.
 */
export const sandboxPayments = sqliteTable('sandbox_payments', {
  id: text('id').primaryKey(),
  /** Null only on payments created before ids became random. */
  idempotencyKey: text('idempotency_key').unique(),
  orderId: text('order_id').notNull(),
  amountMinor: integer('amount_minor').notNull(),
  refundedMinor: integer('refunded_minor').notNull().default(0),
  currency: text('currency').notNull(),
  status: text('status').$type<'requires_payment' | 'succeeded' | 'failed'>().notNull(),
  /** Failed attempts so far: each failure is its own provider event. */
  failedAttempts: integer('failed_attempts').notNull().default(0),
  description: text('description').notNull(),
  createdAt: createdAt(),
});

export const sandboxRefunds = sqliteTable('sandbox_refunds', {
  /** Derived from the caller's idempotency key: a repeated refund is the same refund. */
  id: text('id').primaryKey(),
  paymentId: text('payment_id').notNull(),
  amountMinor: integer('amount_minor').notNull(),
  /** The caller's key as sent (Stripe keeps it with the request too). */
  idempotencyKey: text('idempotency_key'),
  createdAt: createdAt(),
});

/** Sent notifications by business key: a redelivered message is not sent twice. */
export const notificationDeliveries = sqliteTable('notification_deliveries', {
  messageKey: text('message_key').primaryKey(),
  sentAt: createdAt(),
});

/**
 * Notifications that must be sent, written in the same D1 batch as the state change that
 * causes them (order paid, late payment refunded). Enqueued on NOTIFICATIONS right after the
 * batch; the sweep enqueues rows still unenqueued after a minute (a crash in between).
 * Not the dev mailer's `mail_outbox` below, which holds rendered mails.
 */
export const notificationOutbox = sqliteTable(
  'notification_outbox',
  {
    /** The notification's business key (`notificationKey`): one row per notification. */
    messageKey: text('message_key').primaryKey(),
    kind: text('kind')
      .$type<'order_confirmation' | 'late_payment_refunded' | 'refund_issued' | 'event_canceled'>()
      .notNull(),
    orderId: text('order_id').notNull(),
    /** Refund mails: the refund they are about (one mail per refund). */
    refundId: text('refund_id'),
    createdAt: createdAt(),
    enqueuedAt: text('enqueued_at'),
  },
  (t) => [index('notification_outbox_unenqueued').on(t.enqueuedAt, t.createdAt)],
);

/** Development mailer: mails land here and are shown at /dev/outbox. */
export const mailOutbox = sqliteTable('mail_outbox', {
  id: text('id').primaryKey(),
  messageKey: text('message_key').notNull().unique(),
  toAddress: text('to_address').notNull(),
  subject: text('subject').notNull(),
  html: text('html').notNull(),
  text: text('text').notNull(),
  createdAt: createdAt(),
});

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    organizerId: text('organizer_id'),
    /** Who: a person (`per_…`) or an API key (`key_…`); null for the system. */
    actor: text('actor'),
    action: text('action').notNull(),
    subjectId: text('subject_id').notNull(),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_subject').on(t.subjectId)],
);

// ---------------------------------------------------------------------------------------------
// People, memberships, sessions, magic links, invitations (DESIGN.md "The organizer side")

/** Someone who signs in; the email is stored lowercased. */
export const people = sqliteTable('people', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  createdAt: createdAt(),
});

/** A person's role in a workspace, optionally limited to some events. */
export const memberships = sqliteTable(
  'memberships',
  {
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    organizerId: text('organizer_id')
      .notNull()
      .references(() => organizers.id),
    role: text('role').$type<Role>().notNull(),
    /** JSON list of event ids, or null for every event. */
    eventScope: text('event_scope', { mode: 'json' }).$type<string[]>(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('memberships_person_organizer').on(t.personId, t.organizerId),
    index('memberships_organizer').on(t.organizerId),
  ],
);

/** A dashboard session, named by the signed `__Host-tessera_session` cookie. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    /** The workspace the session is working in; null until the person picks or creates one. */
    organizerId: text('organizer_id'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    lastSeenAt: text('last_seen_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    revokedAt: text('revoked_at'),
  },
  (t) => [index('sessions_person').on(t.personId)],
);

/** `buyer` links open "My tickets" (worker/buyers/), never the dashboard. */
export type MagicLinkPurpose = 'sign_in' | 'sign_up' | 'invite' | 'buyer';

/** A single-use sign-in link; only the SHA-256 of its token is stored. */
export const magicLinks = sqliteTable(
  'magic_links',
  {
    tokenHash: text('token_hash').primaryKey(),
    email: text('email').notNull(),
    purpose: text('purpose').$type<MagicLinkPurpose>().notNull(),
    /** For invitations: the invitation it accepts. */
    invitationId: text('invitation_id'),
    createdAt: createdAt(),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
  },
  (t) => [index('magic_links_email').on(t.email)],
);

/**
 * A buyer's "My tickets" session, named by the signed `__Host-tessera_buyer` cookie: an email
 * address proven by a magic link, nothing else (buyers are not people of the dashboard).
 */
export const buyerSessions = sqliteTable('buyer_sessions', {
  id: text('id').primaryKey(),
  /** Lowercased; the session sees the orders placed with this address. */
  email: text('email').notNull(),
  createdAt: createdAt(),
  lastSeenAt: text('last_seen_at').notNull(),
  expiresAt: text('expires_at').notNull(),
  revokedAt: text('revoked_at'),
});

/** An invitation into a workspace with a role; accepted through its magic link. */
export const invitations = sqliteTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    organizerId: text('organizer_id')
      .notNull()
      .references(() => organizers.id),
    email: text('email').notNull(),
    role: text('role').$type<Role>().notNull(),
    eventScope: text('event_scope', { mode: 'json' }).$type<string[]>(),
    invitedBy: text('invited_by').notNull(),
    createdAt: createdAt(),
    expiresAt: text('expires_at').notNull(),
    acceptedAt: text('accepted_at'),
    revokedAt: text('revoked_at'),
  },
  (t) => [index('invitations_organizer').on(t.organizerId)],
);

/**
 * Check-in lists: which tickets count where and when at the door. Every event has one default
 * list ("All tickets", entry) whose id is derived from the event's (door/lists.ts), so the
 * check-in that predates lists keeps scanning on it. Scans themselves live in the event's
 * Durable Object.
 */
export const checkinLists = sqliteTable(
  'checkin_lists',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id),
    name: text('name').notNull(),
    /** JSON: the ticket type ids on the list; null means every ticket type of the event. */
    ticketTypeIds: text('ticket_type_ids', { mode: 'json' }).$type<string[] | null>(),
    direction: text('direction').$type<'entry' | 'exit'>().notNull(),
    validFrom: text('valid_from'),
    validUntil: text('valid_until'),
    gate: text('gate'),
    isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('checkin_lists_event').on(t.eventId)],
);

/**
 * Door devices: a scanner paired to one event, limited to some of its lists (null: all).
 * The token (`dev_…`) is stored as its SHA-256 only, like API keys.
 */
export const doorDevices = sqliteTable(
  'door_devices',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id),
    organizerId: text('organizer_id').notNull(),
    name: text('name').notNull(),
    listIds: text('list_ids', { mode: 'json' }).$type<string[] | null>(),
    tokenHash: text('token_hash').notNull(),
    /** Who paired it: the API key (later: the dashboard member) that created it. */
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    lastSeenAt: text('last_seen_at'),
    revokedAt: text('revoked_at'),
  },
  (t) => [
    uniqueIndex('door_devices_token').on(t.tokenHash),
    index('door_devices_event').on(t.eventId),
  ],
);

/**
 * Door conflicts someone looked at (DESIGN.md "The door"). The conflicts themselves are facts
 * in the event's Durable Object (`id` is its row id there); only the review is D1's.
 */
export const doorConflictReviews = sqliteTable(
  'door_conflict_reviews',
  {
    eventId: text('event_id')
      .notNull()
      .references(() => events.id),
    conflictId: integer('conflict_id').notNull(),
    /** A person (`per_…`) or API key (`key_…`). */
    reviewedBy: text('reviewed_by').notNull(),
    reviewedAt: text('reviewed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.conflictId] })],
);
// ---------------------------------------------------------------------------------------------
// Stripe Connect: organizers' Express accounts, their payouts, the platform fee
// (DESIGN.md "Money flow: Stripe Connect")

/**
 * A workspace's Stripe Express account and the last state Stripe told us (`account.updated`
 * or a retrieve). `stateAt` is when that snapshot was taken (Stripe's event `created`, Unix
 * seconds): an older snapshot arriving late never overwrites a newer one.
 */
export const connectAccounts = sqliteTable(
  'connect_accounts',
  {
    organizerId: text('organizer_id')
      .primaryKey()
      .references(() => organizers.id),
    accountId: text('account_id').notNull(),
    /** Made with a live (`sk_live_`) key: a test account can not take live charges. */
    livemode: integer('livemode', { mode: 'boolean' }).notNull(),
    chargesEnabled: integer('charges_enabled', { mode: 'boolean' }).notNull().default(false),
    payoutsEnabled: integer('payouts_enabled', { mode: 'boolean' }).notNull().default(false),
    detailsSubmitted: integer('details_submitted', { mode: 'boolean' }).notNull().default(false),
    /** JSON: Stripe's `requirements.currently_due`. */
    currentlyDue: text('currently_due', { mode: 'json' })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    /** JSON: Stripe's `requirements.past_due`. */
    pastDue: text('past_due', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    disabledReason: text('disabled_reason'),
    stateAt: integer('state_at').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('connect_accounts_account').on(t.accountId)],
);

/** Payouts of connected accounts (`payout.paid` / `payout.failed`), by Stripe's payout id. */
export const connectPayouts = sqliteTable(
  'connect_payouts',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    organizerId: text('organizer_id').notNull(),
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').notNull(),
    /** Stripe's `arrival_date` as an ISO date-time (UTC). */
    arrivalAt: text('arrival_at').notNull(),
    status: text('status').notNull(),
    failureMessage: text('failure_message'),
    /** The event `created` of the state stored here: older events never overwrite it. */
    stateAt: integer('state_at').notNull(),
    createdAt: createdAt(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('connect_payouts_organizer').on(t.organizerId, t.arrivalAt)],
);

/** Verified Connect webhook events by Stripe's event id: a replay is answered, not re-applied. */
export const connectEvents = sqliteTable('connect_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  accountId: text('account_id'),
  /** `applied`, `stale` (an older snapshot), `unknown_account` or `ignored`. */
  outcome: text('outcome').notNull(),
  receivedAt: createdAt(),
});

/**
 * The platform fee of one workspace, set by the platform operator only (operator API); a
 * workspace without a row pays the deployment's default (`PLATFORM_FEE_*` vars). Amounts are
 * in the order currency's minor units.
 */
export const platformFees = sqliteTable('platform_fees', {
  organizerId: text('organizer_id')
    .primaryKey()
    .references(() => organizers.id),
  percentBps: integer('percent_bps').notNull(),
  fixedMinor: integer('fixed_minor').notNull(),
  minMinor: integer('min_minor').notNull(),
  /** Null: no maximum (the fee is still never more than the amount). */
  maxMinor: integer('max_minor'),
  updatedAt: text('updated_at').notNull(),
});
// ---------------------------------------------------------------------------------------------
// Reconciliation and settlement (DESIGN.md "Reconciliation")

/** What a difference between D1 and the provider (or an event's DO) is. */
export type DifferenceKind =
  | 'missed_payment_webhook'
  | 'unknown_payment_intent'
  | 'outside_refund'
  | 'amount_mismatch'
  | 'payment_status_mismatch'
  | 'ticket_count_drift';

export type DifferenceStatus = 'open' | 'fixed' | 'ignored';

/**
 * Every difference reconciliation found, once: `key` names it by its objects, so a rerun
 * only moves `last_seen_at`. `action` says what was done about it (a safe fix, or why not).
 */
export const reconciliationDifferences = sqliteTable(
  'reconciliation_differences',
  {
    id: text('id').primaryKey(),
    /** `<kind>:<object ids>`: the same difference seen again is the same row. */
    key: text('key').notNull(),
    kind: text('kind').$type<DifferenceKind>().notNull(),
    /** Null when nothing ties it to a workspace (a PaymentIntent Tessera never made). */
    organizerId: text('organizer_id'),
    eventId: text('event_id'),
    orderId: text('order_id'),
    /** The objects involved by name: paymentIntentId, refundId, ticketTypeId, … */
    objects: text('objects', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    /** What each side says (amounts, statuses, counts) when last seen. */
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<DifferenceStatus>().notNull().default('open'),
    action: text('action'),
    firstSeenAt: text('first_seen_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    resolvedAt: text('resolved_at'),
  },
  (t) => [
    uniqueIndex('reconciliation_differences_key').on(t.key),
    index('reconciliation_differences_organizer').on(t.organizerId, t.status, t.lastSeenAt),
    index('reconciliation_differences_status').on(t.status, t.lastSeenAt),
  ],
);

/**
 * Where reconciliation stands, per source: the end of the last window it finished, and a
 * lease so two cron runs never work the same window at once.
 */
export const reconciliationCursors = sqliteTable('reconciliation_cursors', {
  name: text('name').primaryKey(),
  windowEnd: text('window_end'),
  lastRunAt: text('last_run_at'),
  leaseUntil: text('lease_until'),
  lastResult: text('last_result', { mode: 'json' }).$type<Record<string, unknown>>(),
});

/**
 * Stripe's fees of a succeeded payment, from its charge's balance transaction (`fee_details`
 * by type). Amounts in the balance transaction's currency, our minor units.
 */
export const paymentFees = sqliteTable(
  'payment_fees',
  {
    paymentId: text('payment_id').primaryKey(),
    orderId: text('order_id').notNull(),
    eventId: text('event_id').notNull(),
    balanceTransactionId: text('balance_transaction_id').notNull(),
    currency: text('currency').notNull(),
    amountMinor: integer('amount_minor').notNull(),
    stripeFeeMinor: integer('stripe_fee_minor').notNull(),
    applicationFeeMinor: integer('application_fee_minor').notNull(),
    /** Other fee types (tax on fees, …), kept so the fees add up to Stripe's `fee`. */
    otherFeeMinor: integer('other_fee_minor').notNull(),
    netMinor: integer('net_minor').notNull(),
    fetchedAt: text('fetched_at').notNull(),
  },
  (t) => [index('payment_fees_event').on(t.eventId)],
);

/**
 * One-time pairing codes: shown by the dashboard as a QR and as text, exchanged once by a phone
 * for a fresh device token (`POST /api/v1/door/pair`). Only the code's SHA-256 is stored; a
 * code is good for 10 minutes and for one exchange.
 */
export const doorPairingCodes = sqliteTable(
  'door_pairing_codes',
  {
    codeHash: text('code_hash').primaryKey(),
    deviceId: text('device_id')
      .notNull()
      .references(() => doorDevices.id),
    eventId: text('event_id').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
  },
  (t) => [index('door_pairing_codes_device').on(t.deviceId)],
);

/**
 * An event's cancellation run (DESIGN.md "Cancel event"): started once per event; its
 * progress is counted from `cancellation_orders` joined with `refunds`, never kept as
 * counters, so a redelivered or interrupted batch can not skew it.
 */
export const eventCancellations = sqliteTable('event_cancellations', {
  eventId: text('event_id')
    .primaryKey()
    .references(() => events.id),
  organizerId: text('organizer_id').notNull(),
  /** Who started it: a person (`per_…`) or an API key (`key_…`). */
  actor: text('actor'),
  startedAt: createdAt(),
});

/**
 * One row per order the cancellation refunds. `refund_id` names the claim of the current
 * attempt (`re_cx<attempt>_<order>`): a redelivered message finds the same claim, and a
 * retry after a failure gets a new attempt, so a new claim.
 */
export const cancellationOrders = sqliteTable(
  'cancellation_orders',
  {
    eventId: text('event_id').notNull(),
    orderId: text('order_id')
      .primaryKey()
      .references(() => orders.id),
    attempt: integer('attempt').notNull().default(1),
    refundId: text('refund_id').notNull(),
    /** Why the last attempt could not claim a refund (the order changed, no provider). */
    lastError: text('last_error'),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('cancellation_orders_event').on(t.eventId)],
);
