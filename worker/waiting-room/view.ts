import type { RoomState } from '../../durable-objects/waiting-room/types';

/**
 * What `POST /api/v1/events/:eventId/queue` and `GET …/queue/status` answer (API.md "Waiting
 * room"). The hosted waiting page renders the same object, so page and API never disagree.
 */
export interface QueueView {
  /** The buyer's place in line; send it back as `Authorization: Bearer …` to poll. */
  queueToken: string;
  /** `admitted`: go shopping with `admissionToken` (header `Tessera-Admission`). */
  state: 'waiting' | 'admitted';
  /**
   * `pre_queue`: the line is drawn at random when sales open, so nobody has a place yet.
   * `queue`: admitting in order. `off`: the room guards nothing right now.
   */
  phase: RoomState['phase'];
  /** 1 for the next buyer in; 0 once admitted; null in the pre-queue (no draw yet). */
  position: number | null;
  /** Buyers admitted before this one still to go; null in the pre-queue. */
  peopleAhead: number | null;
  /** Estimated seconds until admission (pre-queue: until sales open); 0 once admitted. */
  etaSeconds: number;
  /** Ask again after this many seconds (the hosted page's refresh interval). */
  pollAfterSeconds: number;
  /** 0..1: how much of the way from joining to the front this buyer has come. */
  progress: number;
  /** Buyers in line and not yet admitted. */
  queueLength: number;
  /** When sales open (the pre-queue's draw), null when not set. */
  salesStartAt: string | null;
  /** Present when admitted: the header `Tessera-Admission` for the hold. */
  admissionToken?: string;
  /** Until when the admission may place its hold (ISO). */
  admissionExpiresAt?: string;
}

/** Verified contents of a queue token (type `q`). */
export interface QueueTicket {
  eventId: string;
  seq: number;
  /** When the buyer joined (seconds since the epoch, the JWT's `iat`). */
  issuedAt: number;
  /** The room's watermark when the buyer joined: where the progress bar starts. */
  joinedAtWatermark: number;
}

/** Verified contents of an admission token (type `a`). */
export interface AdmissionTicket {
  eventId: string;
  seq: number;
  /** Seconds since the epoch (the JWT's `exp`). */
  expiresAt: number;
}

/** Why a token was refused (for the problem's detail, never for control flow by clients). */
export type TokenRefusal = 'missing' | 'malformed' | 'invalid' | 'expired' | 'other_event';

export type TokenCheck<T> = { ok: true; ticket: T } | { ok: false; reason: TokenRefusal };
