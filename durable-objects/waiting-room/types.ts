/**
 * The waiting room's part of the EventInventory RPC contract (DESIGN.md "Waiting room").
 * The DO owns the queue and the admissions; the Worker signs the tokens that carry a buyer's
 * sequence number and computes positions from the small, cacheable RoomState.
 */

/** Settings with every default resolved (worker/waiting-room/settings.ts fills them in). */
export interface WaitingRoomConfig {
  mode: 'off' | 'always' | 'auto';
  /** At most this many shoppers admitted at once (admitted, holding or paying). */
  activeLimit: number;
  admitPerMinute: number;
  /** How long an admission lasts before its first hold; a hold then keeps the slot. */
  admissionMinutes: number;
  /** mode `auto`: the room turns active while more shoppers than this are active. */
  autoThreshold: number;
  /** The pre-queue opens this many minutes before salesStartAt (0: none). */
  preQueueMinutes: number;
}

/** The pre-queue draw: sequence numbers 1..size are shuffled by `seed`; later ones are FIFO. */
export interface LotteryDraw {
  seed: number;
  size: number;
}

/**
 * The room as every waiting buyer sees it: small, public, cached ~1 s at the edge. A buyer's
 * position comes from this and their own sequence number (worker/domain/queue-order.ts).
 */
export interface RoomState {
  eventId: string;
  mode: WaitingRoomConfig['mode'];
  /** Holds need an admission token right now. */
  active: boolean;
  /** `pre_queue`: joined buyers wait for the draw at sales start; `queue`: admitting in rank order. */
  phase: 'off' | 'pre_queue' | 'queue';
  salesStartAt: string | null;
  preQueueOpensAt: string | null;
  /** Sequence numbers handed out so far (the latest joiner's number). */
  joined: number;
  /** Every buyer whose rank is at or below this is admitted. */
  watermark: number;
  /** Null until sales open (or when nobody joined early). */
  lottery: LotteryDraw | null;
  /** Admissions per minute the room achieves now (the wait estimate's rate). */
  admitRatePerMinute: number;
  activeShoppers: number;
  activeLimit: number;
  admitPerMinute: number;
  /** When the DO produced this state (ISO). */
  asOf: string;
}

/** What the organizer's stats show about the room. */
export interface RoomStats {
  mode: WaitingRoomConfig['mode'];
  active: boolean;
  phase: RoomState['phase'];
  /** Buyers in line, not yet admitted. */
  queueLength: number;
  /** Admitted since the room opened (the watermark). */
  admitted: number;
  activeShoppers: number;
  activeLimit: number;
  admitPerMinute: number;
  /** Admissions in the last minute. */
  admissionRatePerMinute: number;
  /** Until the line is empty at the current rate; null when nobody waits or nothing moves. */
  estimatedDrainSeconds: number | null;
  /**
   * The organizer paused admission: the line stands still. Absent from an object older than
   * the pause control (during a deploy), which can not be paused: read absent as false.
   */
  paused?: boolean;
}

/** An admission the DO has granted to one sequence number. */
export interface AdmissionGrant {
  seq: number;
  /** Until when the admission may place its hold (ISO). */
  expiresAt: string;
}

/** Requests the object served since it woke (status polls must not show up here). */
export interface InventoryMetrics {
  requests: number;
  /** The same, per RPC method. */
  byMethod: Record<string, number>;
  /** When the object woke (the counters start at zero on every wake). */
  since: string;
}

export type RoomFailure<Code extends string, Extra = object> = { ok: false; code: Code } & Extra;

export type JoinResult =
  | {
      ok: true;
      seq: number;
      room: RoomState;
      /** Present when the room is not active: the buyer is admitted at once. */
      admission?: AdmissionGrant;
    }
  | RoomFailure<'not_found'>
  | RoomFailure<'waiting_room_off'>
  | RoomFailure<'queue_not_open', { opensAt: string }>
  | RoomFailure<'not_on_sale', { reason: 'draft' | 'canceled' | 'ended' }>;

export type ClaimResult =
  | { ok: true; admission: AdmissionGrant }
  | RoomFailure<'not_found'>
  /**
   * Not admitted yet. `in_line`: the watermark has not reached this buyer. `no_free_slot`:
   * it has, but the buyer claimed after the claim window (CLAIM_WINDOW_MS, 2 minutes), so
   * the slot reserved for them went back to the line; they get the next free slot: ask
   * again shortly.
   */
  | RoomFailure<'not_yet_admitted', { room: RoomState; reason: 'in_line' | 'no_free_slot' }>
  /** The admission was used (order paid, hold released or expired) or lapsed unused. */
  | RoomFailure<'admission_ended', { reason: 'used' | 'lapsed' }>;

/** What `hold()` adds to its failures when the room guards the event. */
export type AdmissionFailure =
  | RoomFailure<'admission_required'>
  | RoomFailure<'admission_ended', { reason: 'used' | 'lapsed' }>
  | RoomFailure<'admission_in_use', { holdId: string }>;
