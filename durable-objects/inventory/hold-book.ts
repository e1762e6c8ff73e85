import { type InventoryCounters, sumByType } from './counters';
import type { HoldRow } from './rows';
import type { HoldItem, HoldView } from './types';

const HOLD_COLUMNS = 'id, state, items, expires_ms, order_id, admission_seq, client_key';

export function holdView(eventId: string, row: HoldRow): HoldView {
  return {
    holdId: row.id,
    eventId,
    state: row.state,
    expiresAt: new Date(row.expires_ms).toISOString(),
    orderId: row.order_id,
    items: JSON.parse(row.items) as HoldItem[],
  };
}

/**
 * The holds table and its held counters. Callers run every method inside one synchronous
 * transaction. `onEnded` hears of every hold that stops being active (paid, released,
 * expired), so the waiting room can free the admission's slot in the same transaction.
 */
export class HoldBook {
  /** No active hold expires before this (null: unknown, ask storage). */
  private expiryFloorMs: number | null = null;

  constructor(
    private readonly sql: SqlStorage,
    private readonly counters: InventoryCounters,
    private readonly onEnded: (row: HoldRow) => void,
  ) {}

  forget(): void {
    this.expiryFloorMs = null;
  }

  row(id: string): HoldRow | undefined {
    return this.sql
      .exec<HoldRow>(`SELECT ${HOLD_COLUMNS} FROM holds WHERE id = ?`, id)
      .toArray()[0];
  }

  /** Holds `demand` (already checked for room) until `expiresMs`. */
  place(
    id: string,
    demand: Map<string, number>,
    expiresMs: number,
    now: number,
    admissionSeq: number | null,
    clientKey: string | null,
  ): HoldRow {
    this.counters.apply(demand, 'held', +1);
    const items = [...demand].map(([ticketTypeId, quantity]) => ({ ticketTypeId, quantity }));
    const row: HoldRow = {
      id,
      state: 'active',
      items: JSON.stringify(items),
      expires_ms: expiresMs,
      order_id: null,
      admission_seq: admissionSeq,
      client_key: clientKey,
    };
    this.sql.exec(
      `INSERT INTO holds (id, state, items, expires_ms, order_id, created_ms, admission_seq, client_key)
       VALUES (?, ?, ?, ?, NULL, ?, ?, ?)`,
      row.id,
      row.state,
      row.items,
      row.expires_ms,
      now,
      admissionSeq,
      clientKey,
    );
    this.noteExpiry(expiresMs);
    return row;
  }

  /**
   * Ties the hold to an order and moves its expiry (later only: see checkoutExpiry). Once
   * only: the same order asking again gets the hold as it is, never a second extension.
   */
  attachOrder(row: HoldRow, orderId: string, expiresMs: number): HoldRow {
    if (row.order_id === orderId) return row;
    this.forgetFloorAt(row.expires_ms);
    this.sql.exec(
      'UPDATE holds SET order_id = ?, expires_ms = ? WHERE id = ?',
      orderId,
      expiresMs,
      row.id,
    );
    return { ...row, order_id: orderId, expires_ms: expiresMs };
  }

  /** Moves an active hold's expiry, either way (a payment settling, or failing after that). */
  reschedule(row: HoldRow, expiresMs: number): HoldRow {
    if (row.expires_ms === expiresMs) return row;
    this.forgetFloorAt(row.expires_ms);
    this.sql.exec('UPDATE holds SET expires_ms = ? WHERE id = ?', expiresMs, row.id);
    this.noteExpiry(expiresMs);
    return { ...row, expires_ms: expiresMs };
  }

  /** The hold's tickets go back to sale. */
  end(row: HoldRow, state: 'released' | 'expired'): void {
    this.counters.apply(sumByType(JSON.parse(row.items) as HoldItem[]), 'held', -1);
    this.sql.exec('UPDATE holds SET state = ? WHERE id = ?', state, row.id);
    this.forgetFloorAt(row.expires_ms);
    row.state = state;
    this.onEnded(row);
  }

  /** The hold's tickets stop being held; the caller counts them as sold. */
  convert(row: HoldRow, orderId: string): void {
    this.counters.apply(sumByType(JSON.parse(row.items) as HoldItem[]), 'held', -1);
    this.sql.exec(
      "UPDATE holds SET state = 'converted', order_id = ? WHERE id = ?",
      orderId,
      row.id,
    );
    this.forgetFloorAt(row.expires_ms);
    row.state = 'converted';
    this.onEnded(row);
  }

  /** Ends every active hold, in checkout or not (a canceled event sells nothing more). */
  releaseAll(): number {
    const active = this.sql
      .exec<HoldRow>(`SELECT ${HOLD_COLUMNS} FROM holds WHERE state = 'active'`)
      .toArray();
    for (const row of active) this.end(row, 'released');
    this.expiryFloorMs = Number.POSITIVE_INFINITY;
    return active.length;
  }

  /**
   * Expires what is due. Before the known earliest expiry nothing can be, so most calls
   * cost no query; `force` (the alarm) always looks.
   */
  expireDue(now: number, force = false): void {
    if (!force && this.expiryFloorMs !== null && now < this.expiryFloorMs) return;
    const due = this.sql
      .exec<HoldRow>(
        `SELECT ${HOLD_COLUMNS} FROM holds WHERE state = 'active' AND expires_ms <= ?`,
        now,
      )
      .toArray();
    for (const row of due) this.end(row, 'expired');
    this.expiryFloorMs = this.earliestActiveExpiry() ?? Number.POSITIVE_INFINITY;
  }

  /** The earliest active hold's expiry, null when none is active. */
  nextExpiry(): number | null {
    this.expiryFloorMs ??= this.earliestActiveExpiry() ?? Number.POSITIVE_INFINITY;
    return Number.isFinite(this.expiryFloorMs) ? this.expiryFloorMs : null;
  }

  /** A hold that may have been the earliest moved or ended: the floor is asked again. */
  private forgetFloorAt(ms: number): void {
    if (this.expiryFloorMs !== null && ms <= this.expiryFloorMs) this.expiryFloorMs = null;
  }

  private noteExpiry(ms: number): void {
    if (this.expiryFloorMs !== null) this.expiryFloorMs = Math.min(this.expiryFloorMs, ms);
  }

  private earliestActiveExpiry(): number | null {
    return this.sql
      .exec<{ next: number | null }>(
        "SELECT MIN(expires_ms) AS next FROM holds WHERE state = 'active'",
      )
      .one().next;
  }
}
