import type { DeviceResult, Direction } from '../../worker/door/list-rules';
import type { Failure } from '../inventory/types';

/**
 * The door's RPC contract with the event's object. The Worker decides everything a list's
 * rules say (ticket types, time window); the object decides what needs one order of events:
 * first scan wins per ticket and list, refunds, exits, conflicts. Refusals are results.
 */

export type { Direction };

/** Who scanned: a door device's id, or '' for the organizer API's check-in. */
export type ScannerId = string;

/** One scan to decide now (an online scan). `nonce` makes a retry answer the same. */
export interface OnlineScan {
  deviceId: ScannerId;
  nonce: string;
  ticketId: string;
  listId: string;
  direction: Direction;
  gate: string | null;
}

export type ScanAnswer =
  | { result: 'ok'; checkedInAt: string; reentry: boolean }
  | {
      result: 'already_checked_in';
      firstCheckedInAt: string;
      gate: string | null;
      deviceId: ScannerId;
    }
  | { result: 'refunded' }
  | { result: 'canceled' };

export type ScanResult =
  | { ok: true; answer: ScanAnswer; replayed: boolean }
  | Failure<'nonce_reused', { nonce: string }>;

/** What an offline device answered at the door, as it reports it. */
export type { DeviceResult };

/** A scan an offline device made earlier: a fact, with the time it happened. */
export interface OfflineScan {
  nonce: string;
  ticketId: string;
  listId: string;
  direction: Direction;
  gate: string | null;
  scannedMs: number;
  result: DeviceResult;
}

export interface SyncOutcome {
  nonce: string;
  /** `recorded`: a new fact; `conflict`: an admission another one already made. */
  outcome: 'recorded' | 'conflict';
  conflictWith?: { deviceId: ScannerId; scannedAt: string; gate: string | null };
}

export type SyncResult =
  | { ok: true; results: SyncOutcome[]; recorded: number; replayed: number }
  | Failure<'nonce_reused', { nonce: string }>;

export interface ListCount {
  listId: string;
  /** Tickets admitted on the list (each once), or for an exit list: tickets that left. */
  checkedIn: number;
  /** Entry lists: tickets admitted and not left since. */
  inside: number;
}

export interface Conflict {
  id: number;
  ticketId: string;
  listId: string;
  first: { deviceId: ScannerId; nonce: string; scannedAt: string; gate: string | null };
  second: { deviceId: ScannerId; nonce: string; scannedAt: string; gate: string | null };
  recordedAt: string;
}

/** What changed at the door since a time: for the offline bundle. */
export interface DoorChanges {
  revocations: { ticketId: string; revokedAt: string }[];
  admissions: { ticketId: string; listId: string; firstCheckedInAt: string; inside: boolean }[];
}

/** Counts of what the object stores for the door (tests' "nothing written", operations). */
export interface DoorStats {
  scans: number;
  checkins: number;
  conflicts: number;
}
