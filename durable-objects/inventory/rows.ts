import type { HoldState, InventoryConfig } from './types';

/** Row shapes of the object's SQLite tables, and the ms <-> ISO conversions at its edge. */
export interface SettingsRow extends Record<string, SqlStorageValue> {
  event_id: string;
  status: InventoryConfig['status'];
  sales_start_ms: number | null;
  sales_end_ms: number | null;
  hold_minutes: number;
  max_per_order: number;
}

export interface HoldRow extends Record<string, SqlStorageValue> {
  id: string;
  state: HoldState;
  items: string;
  expires_ms: number;
  order_id: string | null;
  /** The waiting-room admission the hold was placed with (null: none needed). */
  admission_seq: number | null;
}

export const toIso = (ms: number | null): string | null =>
  ms === null ? null : new Date(ms).toISOString();
export const toMs = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));
