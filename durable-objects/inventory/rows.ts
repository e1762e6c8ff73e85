import type { HoldState, InventoryConfig } from './types';

/** Row shapes of the object's SQLite tables, and the ms <-> ISO conversions at its edge. */
export interface SettingsRow extends Record<string, SqlStorageValue> {
  event_id: string;
  status: InventoryConfig['status'];
  sales_start_ms: number | null;
  sales_end_ms: number | null;
  hold_minutes: number;
  max_per_order: number;
  /** The organizer's cap on tickets one client holds at once (null: the default). */
  max_held_per_client: number | null;
}

export interface HoldRow extends Record<string, SqlStorageValue> {
  id: string;
  state: HoldState;
  items: string;
  expires_ms: number;
  order_id: string | null;
  /** The waiting-room admission the hold was placed with (null: none needed). */
  admission_seq: number | null;
  /** Who placed it (worker/limits/client-key.ts; null: before the cap, or not said). */
  client_key: string | null;
}

export const toIso = (ms: number | null): string | null =>
  ms === null ? null : new Date(ms).toISOString();
export const toMs = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));
