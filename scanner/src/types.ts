/** What the scanner keeps and shows; the server's shapes are docs/API.md "The door". */

import type { DeviceResult } from '../../worker/door/list-rules';

export interface Pairing {
  token: string;
  device: { id: string; name: string; eventId: string };
  event: { id: string; title: string; startsAt: string };
}

export interface BundleList {
  id: string;
  name: string;
  isDefault: boolean;
  direction: 'entry' | 'exit';
  ticketTypeIds: string[] | null;
  validFrom: string | null;
  validUntil: string | null;
  gate: string | null;
}

export interface PublicJwk {
  kty: string;
  crv?: string;
  x?: string;
  kid?: string;
}

/** The offline bundle's header: what is replaced whole on every download. */
export interface Prepared {
  event: { id: string; title: string; startsAt: string; status: string; testMode?: boolean };
  generatedAt: string;
  lists: BundleList[];
  ticketTypes: { id: string; name: string }[];
  jwks: { keys: PublicJwk[] };
}

export interface StoredTicket {
  id: string;
  orderId: string;
  ticketTypeId: string;
  holderName: string | null;
  status: 'valid' | 'revoked';
}

/** A ticket's state on one list, as this device knows it (the server's and its own scans). */
export interface Admission {
  key: string;
  listId: string;
  ticketId: string;
  firstAt: string;
  inside: boolean;
  gate: string | null;
  /** Who admitted it: this device, or another door (the server's record). */
  by: 'this device' | 'another door';
}

/** What a door answers: the same results the server's sync takes from a device. */
export type DoorResult = DeviceResult;

/** A scan made offline, kept until the server has it. */
export interface KeptScan {
  nonce: string;
  code?: string;
  ticketId?: string;
  listId: string;
  scannedAt: string;
  gate: string | null;
  result: DoorResult;
  state: 'kept' | 'synced' | 'rejected';
}

/** One answer on screen. */
export interface Verdict {
  result: DoorResult;
  holderName: string | null;
  ticketTypeName: string | null;
  /** Extra words: when and where it was first admitted, a re-entry, ... */
  detail: string | null;
  offline: boolean;
  /** How long the offline check took, ms (shown small; the browser test reads it). */
  tookMs?: number;
}
