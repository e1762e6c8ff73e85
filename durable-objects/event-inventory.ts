import { DurableObject } from 'cloudflare:workers';
import { newHoldId } from '../worker/domain/ids';
import { applyInventoryConfig } from './inventory/configure';
import { InventoryCounters, sumByType } from './inventory/counters';
import type { HoldRow, SettingsRow } from './inventory/rows';
import { hasInventorySchema, migrateInventorySchema } from './inventory/schema';
import { readAvailability } from './inventory/snapshot';
import type {
  AvailabilitySnapshot,
  CheckInResult,
  CheckoutResult,
  ConfigureResult,
  ConfirmResult,
  HoldItem,
  HoldResult,
  HoldView,
  InventoryConfig,
  ReleaseResult,
} from './inventory/types';

/**
 * One instance per event (named by the event id). Owns availability, holds and their expiry,
 * sales and check-ins. Every check-then-write runs inside one synchronous transaction with
 * no `await`, so concurrent requests can never interleave: sold + held <= size always.
 */
export class EventInventory extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** The alarm this instance last scheduled (null: unknown or none). */
  private scheduledAlarmMs: number | null = null;
  /** Read-mostly state, cached between configure() calls (which reset it). */
  private cachedSettings: SettingsRow | undefined;
  private readonly counters: InventoryCounters;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.counters = new InventoryCounters(this.sql);
    // An id nobody configured (a guessed event id) gets no storage: the schema is created by
    // the first configure() and only migrated here for objects that already have one.
    if (hasInventorySchema(this.sql)) migrateInventorySchema(this.sql, ctx.storage);
  }

  /** Applies the inventory part of the catalog; refuses capacities below sold + held. */
  configure(config: InventoryConfig): ConfigureResult {
    migrateInventorySchema(this.sql, this.ctx.storage);
    this.cachedSettings = undefined;
    this.counters.forget();
    return this.ctx.storage.transactionSync((): ConfigureResult => {
      this.expireDueHolds(Date.now());
      return applyInventoryConfig(this.sql, this.counters, config);
    });
  }

  /** Reserves every item or nothing. */
  hold(items: HoldItem[]): HoldResult {
    const now = Date.now();
    const settings = this.settings();
    if (!settings) return { ok: false, code: 'not_found' };
    if (settings.status !== 'on_sale') {
      return {
        ok: false,
        code: 'not_on_sale',
        reason: settings.status === 'draft' ? 'draft' : 'canceled',
      };
    }
    if (settings.sales_start_ms !== null && now < settings.sales_start_ms) {
      return { ok: false, code: 'not_on_sale', reason: 'not_started' };
    }
    if (settings.sales_end_ms !== null && now >= settings.sales_end_ms) {
      return { ok: false, code: 'not_on_sale', reason: 'ended' };
    }
    const demand = sumByType(items);
    const total = [...demand.values()].reduce((a, b) => a + b, 0);
    if (total > settings.max_per_order) {
      return { ok: false, code: 'max_per_order_exceeded', maxPerOrder: settings.max_per_order };
    }
    const result = this.ctx.storage.transactionSync((): HoldResult => {
      this.expireDueHolds(now);
      const short = this.counters.checkRoom(demand);
      if (short.unknown.length > 0)
        return { ok: false, code: 'unknown_ticket_type', ticketTypeIds: short.unknown };
      if (short.soldOut.length > 0)
        return { ok: false, code: 'sold_out', ticketTypeIds: short.soldOut };
      this.counters.apply(demand, 'held', +1);
      const holdId = newHoldId(settings.event_id);
      const expiresMs = now + settings.hold_minutes * 60_000;
      const normalized = [...demand].map(([ticketTypeId, quantity]) => ({
        ticketTypeId,
        quantity,
      }));
      this.sql.exec(
        'INSERT INTO holds (id, state, items, expires_ms, order_id, created_ms) VALUES (?, ?, ?, ?, NULL, ?)',
        holdId,
        'active',
        JSON.stringify(normalized),
        expiresMs,
        now,
      );
      return {
        ok: true,
        hold: this.view(settings.event_id, {
          id: holdId,
          state: 'active',
          items: JSON.stringify(normalized),
          expires_ms: expiresMs,
          order_id: null,
        }),
      };
    });
    if (result.ok) this.scheduleAlarm(Date.parse(result.hold.expiresAt));
    return result;
  }

  getHold(holdId: string): HoldView | null {
    const settings = this.settings();
    if (!settings) return null;
    this.expireDueHolds(Date.now());
    const row = this.holdRow(holdId);
    return row ? this.view(settings.event_id, row) : null;
  }

  /** Ties the hold to an order and keeps it alive through the payment window. */
  beginCheckout(holdId: string, orderId: string, paymentWindowMinutes: number): CheckoutResult {
    const settings = this.settings();
    if (!settings) return { ok: false, code: 'not_found' };
    const now = Date.now();
    const result = this.ctx.storage.transactionSync((): CheckoutResult => {
      this.expireDueHolds(now);
      const row = this.holdRow(holdId);
      if (!row) return { ok: false, code: 'not_found' };
      if (row.state !== 'active') return { ok: false, code: 'hold_expired', state: row.state };
      if (row.order_id !== null && row.order_id !== orderId) {
        return { ok: false, code: 'hold_in_checkout', orderId: row.order_id };
      }
      const expiresMs = Math.max(row.expires_ms, now + paymentWindowMinutes * 60_000);
      this.sql.exec(
        'UPDATE holds SET order_id = ?, expires_ms = ? WHERE id = ?',
        orderId,
        expiresMs,
        holdId,
      );
      return {
        ok: true,
        hold: this.view(settings.event_id, { ...row, order_id: orderId, expires_ms: expiresMs }),
      };
    });
    if (result.ok) this.scheduleAlarm(Date.parse(result.hold.expiresAt));
    return result;
  }

  releaseHold(holdId: string): ReleaseResult {
    if (!this.settings()) return { ok: false, code: 'not_found' };
    return this.ctx.storage.transactionSync((): ReleaseResult => {
      this.expireDueHolds(Date.now());
      const row = this.holdRow(holdId);
      if (!row) return { ok: false, code: 'not_found' };
      if (row.state === 'converted') return { ok: false, code: 'hold_converted' };
      // A payment may be under way: the hold lives out its payment window.
      if (row.state === 'active' && row.order_id !== null) {
        return { ok: false, code: 'hold_in_checkout', orderId: row.order_id };
      }
      if (row.state === 'active') this.endHold(row, 'released');
      return { ok: true, state: row.state === 'expired' ? 'expired' : 'released' };
    });
  }

  /**
   * Turns an order's hold into sold tickets. Idempotent per order. When the hold has already
   * lapsed (a late payment), the same items are reserved again if there is room.
   */
  confirmOrder(orderId: string, holdId: string, items: HoldItem[]): ConfirmResult {
    return this.ctx.storage.transactionSync((): ConfirmResult => {
      const now = Date.now();
      this.expireDueHolds(now);
      const existing = this.sql
        .exec('SELECT order_id FROM sales WHERE order_id = ?', orderId)
        .toArray();
      if (existing.length > 0) return { ok: true, outcome: 'already_confirmed' };
      const hold = this.holdRow(holdId);
      const demand = sumByType(items);
      let outcome: 'converted' | 're_reserved';
      if (
        hold &&
        hold.state === 'active' &&
        (hold.order_id === null || hold.order_id === orderId)
      ) {
        this.counters.apply(sumByType(JSON.parse(hold.items) as HoldItem[]), 'held', -1);
        this.sql.exec(
          "UPDATE holds SET state = 'converted', order_id = ? WHERE id = ?",
          orderId,
          holdId,
        );
        outcome = 'converted';
      } else {
        const short = this.counters.checkRoom(demand);
        if (short.unknown.length > 0 || short.soldOut.length > 0)
          return { ok: false, code: 'sold_out' };
        outcome = 're_reserved';
      }
      this.counters.apply(demand, 'sold', +1);
      this.sql.exec(
        'INSERT INTO sales (order_id, hold_id, items, created_ms) VALUES (?, ?, ?, ?)',
        orderId,
        holdId,
        JSON.stringify(items),
        now,
      );
      return { ok: true, outcome };
    });
  }

  /** Gives an order's tickets back to sale and refuses them at the door. Idempotent. */
  refundOrder(orderId: string, ticketIds: string[]): { released: boolean } {
    return this.ctx.storage.transactionSync(() => {
      const now = Date.now();
      for (const ticketId of ticketIds) {
        this.sql.exec(
          'INSERT OR IGNORE INTO revoked_tickets (ticket_id, revoked_ms) VALUES (?, ?)',
          ticketId,
          now,
        );
      }
      const sale = this.sql
        .exec<{ items: string }>(
          'SELECT items FROM sales WHERE order_id = ? AND refunded = 0',
          orderId,
        )
        .toArray()[0];
      if (!sale) return { released: false };
      this.counters.apply(sumByType(JSON.parse(sale.items) as HoldItem[]), 'sold', -1);
      this.sql.exec('UPDATE sales SET refunded = 1 WHERE order_id = ?', orderId);
      return { released: true };
    });
  }

  /** The first scan wins; every later scan learns when the first one happened. */
  checkIn(ticketId: string): CheckInResult {
    return this.ctx.storage.transactionSync((): CheckInResult => {
      if (
        this.sql.exec('SELECT 1 FROM revoked_tickets WHERE ticket_id = ?', ticketId).toArray()
          .length > 0
      ) {
        return { result: 'refunded' };
      }
      const first = this.sql
        .exec<{ checked_in_ms: number }>(
          'SELECT checked_in_ms FROM checkins WHERE ticket_id = ?',
          ticketId,
        )
        .toArray()[0];
      if (first)
        return {
          result: 'already_checked_in',
          firstCheckedInAt: new Date(first.checked_in_ms).toISOString(),
        };
      const now = Date.now();
      this.sql.exec('INSERT INTO checkins (ticket_id, checked_in_ms) VALUES (?, ?)', ticketId, now);
      return { result: 'ok', checkedInAt: new Date(now).toISOString() };
    });
  }

  availability(): AvailabilitySnapshot | null {
    const settings = this.settings();
    if (!settings) return null;
    this.expireDueHolds(Date.now());
    return readAvailability(this.sql, settings);
  }

  override async alarm(): Promise<void> {
    this.scheduledAlarmMs = null;
    this.expireDueHolds(Date.now());
    const next = this.earliestActiveExpiry();
    if (next !== null) this.scheduleAlarm(next);
  }

  // --- internals -------------------------------------------------------------------------

  private settings(): SettingsRow | undefined {
    if (this.cachedSettings) return this.cachedSettings;
    if (!hasInventorySchema(this.sql)) return undefined;
    this.cachedSettings = this.sql
      .exec<SettingsRow>('SELECT * FROM settings WHERE id = 1')
      .toArray()[0];
    return this.cachedSettings;
  }

  private holdRow(id: string): HoldRow | undefined {
    return this.sql
      .exec<HoldRow>('SELECT id, state, items, expires_ms, order_id FROM holds WHERE id = ?', id)
      .toArray()[0];
  }

  private endHold(row: HoldRow, state: 'released' | 'expired'): void {
    this.counters.apply(sumByType(JSON.parse(row.items) as HoldItem[]), 'held', -1);
    this.sql.exec('UPDATE holds SET state = ? WHERE id = ?', state, row.id);
    row.state = state;
  }

  /** Lazily expires what the alarm has not reached yet, so availability is never stale. */
  private expireDueHolds(now: number): void {
    // The alarm sits at the earliest active expiry: before it, nothing can be due.
    if (this.scheduledAlarmMs !== null && now < this.scheduledAlarmMs) return;
    const due = this.sql
      .exec<HoldRow>(
        "SELECT id, state, items, expires_ms, order_id FROM holds WHERE state = 'active' AND expires_ms <= ?",
        now,
      )
      .toArray();
    for (const row of due) this.endHold(row, 'expired');
  }

  /**
   * Keeps the alarm at the earliest active expiry. The cached time spares a storage write on
   * most holds; after a restart the cache is empty, so the target comes from the holds table
   * (never from `atMs` alone, which could push back an earlier pending alarm).
   */
  private scheduleAlarm(atMs: number): void {
    if (this.scheduledAlarmMs !== null && this.scheduledAlarmMs <= atMs) return;
    const earliest = this.scheduledAlarmMs === null ? (this.earliestActiveExpiry() ?? atMs) : atMs;
    this.scheduledAlarmMs = earliest;
    void this.ctx.storage.setAlarm(earliest);
  }

  private earliestActiveExpiry(): number | null {
    return this.sql
      .exec<{ next: number | null }>(
        "SELECT MIN(expires_ms) AS next FROM holds WHERE state = 'active'",
      )
      .one().next;
  }

  private view(
    eventId: string,
    row: Pick<HoldRow, 'id' | 'state' | 'items' | 'expires_ms' | 'order_id'>,
  ): HoldView {
    return {
      holdId: row.id,
      eventId,
      state: row.state,
      expiresAt: new Date(row.expires_ms).toISOString(),
      orderId: row.order_id,
      items: JSON.parse(row.items) as HoldItem[],
    };
  }
}
