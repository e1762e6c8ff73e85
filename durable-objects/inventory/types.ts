import type { AdmissionFailure, RoomStats, WaitingRoomConfig } from '../waiting-room/types';
import type { HoldLimitFailure } from './client-limits';

/**
 * The RPC contract of the EventInventory Durable Object. Expected outcomes (sold out, hold
 * expired) are result unions; only bugs throw.
 */

export interface HoldItem {
  ticketTypeId: string;
  quantity: number;
}

/** The inventory part of an event, pushed from the D1 catalog on create/update/publish. */
export interface InventoryConfig {
  eventId: string;
  status: 'draft' | 'on_sale' | 'canceled';
  salesStartAt: string | null;
  salesEndAt: string | null;
  holdMinutes: number;
  maxPerOrder: number;
  /**
   * The cap on tickets one client holds at once; null: the default (client-limits.ts).
   * Optional in the contract: a Worker older than the cap sends none, which keeps the
   * object's current setting.
   */
  maxHeldPerClient?: number | null | undefined;
  /**
   * `hidden`: buyers neither see nor hold the type (a hold asking for it is `not_on_sale`);
   * its sold tickets and counts stay. Optional: absent keeps the object's current setting.
   */
  ticketTypes: { id: string; capacity: number; hidden?: boolean | undefined }[];
  quotas: { id: string; size: number; ticketTypeIds: string[] }[];
  waitingRoom: WaitingRoomConfig;
}

export type HoldState = 'active' | 'converted' | 'released' | 'expired';

export interface HoldView {
  holdId: string;
  eventId: string;
  state: HoldState;
  expiresAt: string;
  orderId: string | null;
  items: HoldItem[];
}

export type Failure<Code extends string, Extra = object> = { ok: false; code: Code } & Extra;

export type ConfigureResult =
  | { ok: true }
  | Failure<'capacity_below_sold', { ticketTypeId?: string; quotaId?: string; minimum: number }>;

export type HoldResult =
  | { ok: true; hold: HoldView }
  | Failure<'not_found'>
  | Failure<'not_on_sale', { reason: 'draft' | 'canceled' | 'not_started' | 'ended' }>
  /** One of the types asked for is hidden by the organizer. */
  | Failure<'not_on_sale', { reason: 'hidden'; ticketTypeIds: string[] }>
  | Failure<'max_per_order_exceeded', { maxPerOrder: number }>
  | Failure<'unknown_ticket_type', { ticketTypeIds: string[] }>
  | Failure<'sold_out', { ticketTypeIds: string[] }>
  | HoldLimitFailure
  | AdmissionFailure;

export type CheckoutResult =
  | { ok: true; hold: HoldView }
  | Failure<'not_found'>
  | Failure<'hold_expired', { state: HoldState }>
  | Failure<'hold_in_checkout', { orderId: string }>;

export type ReleaseResult =
  | { ok: true; state: 'released' | 'expired' }
  | Failure<'not_found'>
  | Failure<'hold_converted'>
  | Failure<'hold_in_checkout', { orderId: string }>;

export type ConfirmResult =
  | { ok: true; outcome: 'converted' | 're_reserved' | 'already_confirmed' }
  | Failure<'sold_out'>;

/** What `setAdmissionPaused` answers: the room's state after the change. */
export type PauseResult = { ok: true; paused: boolean } | Failure<'not_found'>;

export type CheckInResult =
  | { result: 'ok'; checkedInAt: string }
  | { result: 'already_checked_in'; firstCheckedInAt: string }
  | { result: 'refunded' };

export interface TypeAvailability {
  id: string;
  capacity: number;
  sold: number;
  held: number;
  /** Free to hold now: the tightest of every quota the type belongs to. */
  available: number;
}

export interface QuotaAvailability {
  id: string;
  size: number;
  sold: number;
  held: number;
  available: number;
}

export interface AvailabilitySnapshot {
  status: InventoryConfig['status'];
  salesStartAt: string | null;
  salesEndAt: string | null;
  ticketTypes: TypeAvailability[];
  quotas: QuotaAvailability[];
  checkedIn: number;
  waitingRoom: RoomStats;
}

/** Sold tickets per ticket type (`soldCounts()`, for reconciliation). */
export interface SoldCounts {
  ticketTypes: { id: string; sold: number }[];
}

/**
 * What the Worker adds to `revokeTickets` when tickets are refunded one by one: the order and
 * each ticket's type, so the object can give each ticket's place back to sale. Optional in the
 * contract: a Worker older than it sends none (the places stay sold until the order is refunded
 * in full), and an object older than it ignores it (likewise).
 */
export interface TicketRelease {
  orderId: string;
  tickets: { ticketId: string; ticketTypeId: string }[];
}
