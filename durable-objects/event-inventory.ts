import { DurableObject } from 'cloudflare:workers';
import { defaultCheckinListId, newHoldId, randomToken } from '../worker/domain/ids';
import { doorChanges, doorStats, listConflicts, listCounts } from './door/reads';
import { type DoorContext, scanOnline, syncScans } from './door/scans';
import type {
  Conflict,
  DoorChanges,
  DoorStats,
  ListCount,
  OfflineScan,
  OnlineScan,
  ScannerId,
  ScanResult,
  SyncResult,
} from './door/types';
import { checkoutExpiry, clientCapRefusal } from './inventory/client-limits';
import { applyInventoryConfig } from './inventory/configure';
import { InventoryCounters, sumByType } from './inventory/counters';
import { HoldBook, holdView } from './inventory/hold-book';
import type { HoldRow, SettingsRow } from './inventory/rows';
import { confirmSale, refundSale, revokeTicketIds } from './inventory/sales';
import { hasInventorySchema, migrateInventorySchema } from './inventory/schema';
import { readAvailability } from './inventory/snapshot';
import { releaseTickets } from './inventory/ticket-release';
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
  PauseResult,
  ReleaseResult,
  SoldCounts,
  TicketRelease,
} from './inventory/types';
import type { ClaimResult, InventoryMetrics, JoinResult, RoomState } from './waiting-room/types';
import { WaitingRoom } from './waiting-room/waiting-room';

/**
 * One instance per event (named by the event id). Owns availability, holds and their expiry,
 * the waiting room, sales and check-ins. Every check-then-write runs inside one synchronous
 * transaction with no `await`, so concurrent requests can never interleave: sold + held <=
 * size always. One alarm serves both clocks: hold expiry and the waiting room's ticks.
 */
export class EventInventory extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** The alarm in storage as this instance knows it (null: none; undefined: unknown, just woke). */
  private scheduledAlarmMs: number | null | undefined;
  /** Read-mostly state, cached between configure() calls (which reset it). */
  private cachedSettings: SettingsRow | undefined;
  private readonly counters: InventoryCounters;
  private readonly holds: HoldBook;
  /** The waiting room (tests drive it with a simulated clock through runInDurableObject). */
  readonly room: WaitingRoom;
  private readonly served = { requests: 0, byMethod: new Map<string, number>(), since: Date.now() };

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.counters = new InventoryCounters(this.sql);
    this.room = new WaitingRoom(this.sql, () => this.settings());
    this.holds = new HoldBook(this.sql, this.counters, (row) =>
      this.room.holdEnded(row.admission_seq),
    );
    // An id nobody configured (a guessed event id) gets no storage: the schema is created by
    // the first configure() and only migrated here for objects that already have one.
    if (hasInventorySchema(this.sql)) migrateInventorySchema(this.sql, ctx.storage);
  }

  /**
   * Applies the inventory part of the catalog; refuses capacities below sold + held. New
   * waiting-room settings apply at once and never reset the line.
   */
  configure(config: InventoryConfig): ConfigureResult {
    this.count('configure');
    migrateInventorySchema(this.sql, this.ctx.storage);
    this.cachedSettings = undefined;
    this.counters.forget();
    this.room.forget();
    const now = Date.now();
    const result = this.transaction((): ConfigureResult => {
      this.holds.expireDue(now);
      const applied = applyInventoryConfig(this.sql, this.counters, config);
      if (!applied.ok) return applied;
      this.cachedSettings = undefined;
      this.room.configure(config.waitingRoom, now);
      // Canceled: its holds are released at once, those in checkout too (their payment, if
      // it still comes, is refused by confirmOrder and refunded as a late one).
      if (config.status === 'canceled') this.holds.releaseAll();
      return applied;
    });
    this.cachedSettings = undefined;
    this.planAlarm(now, true);
    return result;
  }

  /**
   * Reserves every item or nothing. While the waiting room guards the event, only with a
   * claimed, unused admission (`admissionSeq`), which the hold then keeps. `clientKey`
   * (worker/limits/client-key.ts) is who asks: their active holds may not go above the
   * event's per-client cap (callers that name no client, older Workers, are not capped).
   */
  hold(items: HoldItem[], admissionSeq?: number, clientKey?: string): HoldResult {
    this.count('hold');
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
    const result = this.transaction((): HoldResult => {
      this.holds.expireDue(now);
      const gate = this.room.gateHold(now, admissionSeq);
      if (!gate.ok) return gate;
      const hidden = this.counters.hiddenAmong(demand.keys());
      if (hidden.length > 0)
        return { ok: false, code: 'not_on_sale', reason: 'hidden', ticketTypeIds: hidden };
      const capped = clientCapRefusal(this.sql, settings, clientKey, total);
      if (capped) return capped;
      const short = this.counters.checkRoom(demand);
      if (short.unknown.length > 0)
        return { ok: false, code: 'unknown_ticket_type', ticketTypeIds: short.unknown };
      if (short.soldOut.length > 0)
        return { ok: false, code: 'sold_out', ticketTypeIds: short.soldOut };
      const expiresMs = now + settings.hold_minutes * 60_000;
      const id = newHoldId(settings.event_id);
      const row = this.holds.place(id, demand, expiresMs, now, gate.seq, clientKey ?? null);
      this.room.holdPlaced(gate.seq, row.id);
      return { ok: true, hold: holdView(settings.event_id, row) };
    });
    if (result.ok) this.planAlarm(now, true);
    return result;
  }

  getHold(holdId: string): HoldView | null {
    this.count('getHold');
    const settings = this.settings();
    if (!settings) return null;
    this.transaction(() => this.holds.expireDue(Date.now()));
    const row = this.holds.row(holdId);
    return row ? holdView(settings.event_id, row) : null;
  }

  /**
   * Ties the hold to an order and keeps it alive through the payment window: at least
   * `paymentWindowMinutes` from now, but never past its expiry plus a short grace
   * (checkoutExpiry), so a checkout can not park tickets. Idempotent per order.
   */
  beginCheckout(holdId: string, orderId: string, paymentWindowMinutes: number): CheckoutResult {
    return this.changeCheckoutHold('beginCheckout', holdId, orderId, true, (row, now) =>
      this.holds.attachOrder(
        row,
        orderId,
        checkoutExpiry(row.expires_ms, now, paymentWindowMinutes),
      ),
    );
  }

  /**
   * Moves the expiry of a hold in checkout for its order's payment (docs/DESIGN.md
   * "Payments"): later while the payment settles at the buyer's bank (`processing`, e.g.
   * SEPA), and back to a short window when that payment fails. Only for the order the hold is
   * tied to; a hold no longer active is left as it is (the payment takes the late path).
   */
  setPaymentExpiry(holdId: string, orderId: string, expiresMs: number): CheckoutResult {
    return this.changeCheckoutHold('setPaymentExpiry', holdId, orderId, false, (row, now) =>
      this.holds.reschedule(row, Math.max(expiresMs, now)),
    );
  }

  /**
   * One change to an active hold of `orderId` (or, when `claimable`, one tied to no order
   * yet) as one transaction, expired holds swept first, the alarm planned after. A missing,
   * ended or other order's hold is refused and nothing changes.
   */
  private changeCheckoutHold(
    method: string,
    holdId: string,
    orderId: string,
    claimable: boolean,
    change: (row: HoldRow, now: number) => HoldRow,
  ): CheckoutResult {
    this.count(method);
    const settings = this.settings();
    if (!settings) return { ok: false, code: 'not_found' };
    const now = Date.now();
    const result = this.transaction((): CheckoutResult => {
      this.holds.expireDue(now);
      const row = this.holds.row(holdId);
      if (!row) return { ok: false, code: 'not_found' };
      if (row.state !== 'active') return { ok: false, code: 'hold_expired', state: row.state };
      const unclaimed = claimable && row.order_id === null;
      if (row.order_id !== orderId && !unclaimed) {
        return { ok: false, code: 'hold_in_checkout', orderId: row.order_id ?? '' };
      }
      return { ok: true, hold: holdView(settings.event_id, change(row, now)) };
    });
    if (result.ok) this.planAlarm(now, true);
    return result;
  }

  releaseHold(holdId: string): ReleaseResult {
    this.count('releaseHold');
    if (!this.settings()) return { ok: false, code: 'not_found' };
    const now = Date.now();
    const result = this.transaction((): ReleaseResult => {
      this.holds.expireDue(now);
      const row = this.holds.row(holdId);
      if (!row) return { ok: false, code: 'not_found' };
      if (row.state === 'converted') return { ok: false, code: 'hold_converted' };
      // A payment may be under way: the hold lives out its payment window.
      if (row.state === 'active' && row.order_id !== null) {
        return { ok: false, code: 'hold_in_checkout', orderId: row.order_id };
      }
      if (row.state === 'active') this.holds.end(row, 'released');
      return { ok: true, state: row.state === 'expired' ? 'expired' : 'released' };
    });
    this.planAlarm(now, true);
    return result;
  }

  /**
   * Turns an order's hold into sold tickets (and frees its admission's shopper slot).
   * Idempotent per order. When the hold has already lapsed (a late payment), the same items
   * are reserved again if there is room.
   */
  confirmOrder(orderId: string, holdId: string, items: HoldItem[]): ConfirmResult {
    this.count('confirmOrder');
    const now = Date.now();
    const canceled = this.settings()?.status === 'canceled';
    const result = this.transaction((): ConfirmResult => {
      this.holds.expireDue(now);
      return confirmSale(
        this.sql,
        this.counters,
        this.holds,
        { orderId, holdId, items },
        now,
        canceled,
      );
    });
    this.planAlarm(now, true);
    return result;
  }

  /** Gives an order's tickets back to sale and refuses them at the door. Idempotent. */
  refundOrder(orderId: string, ticketIds: string[]): { released: boolean } {
    this.count('refundOrder');
    return this.transaction(() =>
      refundSale(this.sql, this.counters, orderId, ticketIds, Date.now()),
    );
  }

  /**
   * Refuses some of an order's tickets at the door (a refund by ticket). With `release` (added
   * after the first release; older Workers send none) each named ticket's place goes back on
   * sale, once per ticket; a later `refundOrder` subtracts only what is still sold. Without it
   * the places stay sold until the whole order is refunded. Idempotent.
   */
  revokeTickets(
    ticketIds: string[],
    release?: TicketRelease,
  ): { revoked: number; released: number } {
    this.count('revokeTickets');
    const now = Date.now();
    return this.transaction(() => {
      const revoked = revokeTicketIds(this.sql, ticketIds, now);
      if (!release) return { revoked, released: 0 };
      // Only tickets refused here are released: a place is never freed for a valid ticket.
      const refused = new Set(ticketIds);
      const tickets = release.tickets.filter((t) => refused.has(t.ticketId));
      return {
        revoked,
        released: releaseTickets(this.sql, this.counters, { ...release, tickets }, now),
      };
    });
  }

  /**
   * Frees everything a deleted test-mode order took (DESIGN.md "Test mode"): its sale (its
   * tickets are revoked, so a copy scanned later is refused), its hold even while in checkout,
   * and its tickets' check-ins. One transaction; idempotent.
   */
  discardOrder(orderId: string, holdId: string, ticketIds: string[]): { released: boolean } {
    this.count('discardOrder');
    const now = Date.now();
    const result = this.transaction(() => {
      this.holds.expireDue(now);
      const sale = refundSale(this.sql, this.counters, orderId, ticketIds, now);
      const hold = this.holds.row(holdId);
      const held = hold?.state === 'active' && (hold.order_id ?? orderId) === orderId;
      if (hold && held) this.holds.end(hold, 'released');
      for (const ticketId of ticketIds) {
        this.sql.exec('DELETE FROM checkins WHERE ticket_id = ?', ticketId);
        this.sql.exec('DELETE FROM list_checkins WHERE ticket_id = ?', ticketId);
      }
      return { released: sale.released || held };
    });
    this.planAlarm(now, true);
    return result;
  }

  /**
   * The check-in that predates lists (kept for Workers of the previous version): a scan on the
   * event's default list, answered in the old shape.
   */
  checkIn(ticketId: string): CheckInResult {
    this.count('checkIn');
    const door = this.door();
    if (!door) return { result: 'refunded' };
    const scan: OnlineScan = {
      deviceId: '',
      nonce: `legacy_${randomToken()}`,
      ticketId,
      listId: defaultCheckinListId(door.eventId),
      direction: 'entry',
      gate: null,
    };
    const outcome = this.transaction(() =>
      scanOnline(this.sql, { ...door, eventCanceled: false }, scan, Date.now()),
    );
    if (!outcome.ok) return { result: 'refunded' };
    const { answer } = outcome;
    if (answer.result === 'ok') return { result: 'ok', checkedInAt: answer.checkedInAt };
    if (answer.result === 'already_checked_in') {
      return { result: 'already_checked_in', firstCheckedInAt: answer.firstCheckedInAt };
    }
    return { result: 'refunded' };
  }

  // --- the door ---------------------------------------------------------------------------

  /**
   * An online scan on one check-in list: first admission wins per ticket and list, in one
   * transaction. The Worker has already applied the list's rules (types, time window).
   */
  scan(scan: OnlineScan): ScanResult | null {
    this.count('scan');
    const door = this.door();
    if (!door) return null;
    return this.transaction(() => scanOnline(this.sql, door, scan, Date.now()));
  }

  /** Scans an offline device made earlier, as facts; idempotent by (device, nonce). */
  syncScans(deviceId: ScannerId, scans: OfflineScan[]): SyncResult | null {
    this.count('syncScans');
    const door = this.door();
    if (!door) return null;
    return this.transaction(() => syncScans(this.sql, door, deviceId, scans, Date.now()));
  }

  /** Tickets checked in (each once) and inside, for every list with at least one check-in. */
  checkinCounts(): ListCount[] {
    this.count('checkinCounts');
    return this.door() ? listCounts(this.sql) : [];
  }

  /** Oldest first after `afterId`; with `beforeId`, newest first below it. */
  checkinConflicts(afterId: number, limit: number, beforeId?: number): Conflict[] {
    this.count('checkinConflicts');
    return this.door() ? listConflicts(this.sql, afterId, limit, beforeId) : [];
  }

  /** Revocations and check-in states changed since `sinceMs`, for the offline bundle. */
  doorChanges(sinceMs: number): DoorChanges {
    this.count('doorChanges');
    return this.door() ? doorChanges(this.sql, sinceMs) : { revocations: [], admissions: [] };
  }

  doorStats(): DoorStats {
    return this.door() ? doorStats(this.sql) : { scans: 0, checkins: 0, conflicts: 0 };
  }

  /**
   * Sold tickets per ticket type, read only (reconciliation compares them with D1's valid
   * tickets). Added after the first release: a Worker falls back to `availability()` on an
   * object that does not have it yet. Null for an object nobody configured.
   */
  soldCounts(): SoldCounts | null {
    this.count('soldCounts');
    if (!this.settings()) return null;
    return {
      ticketTypes: this.sql
        .exec<{ id: string; sold: number }>('SELECT id, sold FROM ticket_types ORDER BY id')
        .toArray()
        .map((row) => ({ id: row.id, sold: row.sold })),
    };
  }

  availability(): AvailabilitySnapshot | null {
    this.count('availability');
    const settings = this.settings();
    if (!settings) return null;
    const now = Date.now();
    this.transaction(() => this.holds.expireDue(now));
    return { ...readAvailability(this.sql, settings), waitingRoom: this.room.stats(now) };
  }

  // --- waiting room ----------------------------------------------------------------------

  /** A place in line: the next sequence number (admitted at once while the room is idle). */
  joinQueue(): JoinResult {
    this.count('joinQueue');
    if (!this.settings()) return { ok: false, code: 'not_found' };
    const now = Date.now();
    const result = this.transaction(() => this.room.join(now));
    if (result.ok) this.planAlarm(now);
    return result;
  }

  /** Exchanges a sequence number at or below the watermark for an admission (idempotent). */
  claimAdmission(seq: number): ClaimResult {
    this.count('claimAdmission');
    if (!this.settings()) return { ok: false, code: 'not_found' };
    const now = Date.now();
    return this.transaction(() => {
      this.holds.expireDue(now);
      return this.room.claim(seq, now);
    });
  }

  /**
   * The organizer pauses or resumes admission from the line: while paused, ticks admit nobody
   * (buyers already admitted keep their admissions). Idempotent; the catalog's configure()
   * never changes it. Added after the first release: a Worker must not rely on it existing.
   */
  setAdmissionPaused(paused: boolean): PauseResult {
    this.count('setAdmissionPaused');
    if (!this.settings()) return { ok: false, code: 'not_found' };
    const now = Date.now();
    this.transaction(() => this.room.setPaused(paused === true));
    this.planAlarm(now, true);
    return { ok: true, paused: paused === true };
  }

  /** The small public state of the room that the Worker caches at the edge for ~1 s. */
  roomState(): RoomState | null {
    this.count('roomState');
    if (!this.settings()) return null;
    const now = Date.now();
    return this.transaction(() => this.room.state(now));
  }

  /** Requests served since the object woke: proves that status polls never reach it. */
  metrics(): InventoryMetrics {
    return {
      requests: this.served.requests,
      byMethod: Object.fromEntries(this.served.byMethod),
      since: new Date(this.served.since).toISOString(),
    };
  }

  /** Expires due holds, then runs the waiting room's tick; sets the next alarm for both. */
  override async alarm(): Promise<void> {
    this.scheduledAlarmMs = null;
    if (!this.settings()) return;
    const now = Date.now();
    this.transaction(() => {
      this.holds.expireDue(now, true);
      this.room.tick(now);
    });
    this.planAlarm(now, true);
  }

  // --- internals -------------------------------------------------------------------------

  private count(method: string): void {
    this.served.requests++;
    this.served.byMethod.set(method, (this.served.byMethod.get(method) ?? 0) + 1);
  }

  /** The door's view of the event; undefined for an object nobody configured. */
  private door(): DoorContext | undefined {
    const settings = this.settings();
    if (!settings) return undefined;
    return { eventId: settings.event_id, eventCanceled: settings.status === 'canceled' };
  }

  private settings(): SettingsRow | undefined {
    if (this.cachedSettings) return this.cachedSettings;
    if (!hasInventorySchema(this.sql)) return undefined;
    this.cachedSettings = this.sql
      .exec<SettingsRow>('SELECT * FROM settings WHERE id = 1')
      .toArray()[0];
    return this.cachedSettings;
  }

  /** One synchronous transaction; what memory keeps of storage is dropped if it rolls back. */
  private transaction<T>(body: () => T): T {
    try {
      return this.ctx.storage.transactionSync(body);
    } catch (error) {
      this.room.forget();
      this.holds.forget();
      throw error;
    }
  }

  /**
   * Keeps the alarm at the earliest of: the next hold expiry, the room's next tick, the
   * draw at sales start. The remembered time spares a storage write on most calls; after a
   * restart it is unknown, so the target is computed from storage (never from one new
   * hold alone, which could push back an earlier pending alarm). `exact` also moves it later.
   */
  private planAlarm(now: number, exact = false): void {
    const candidates = [this.holds.nextExpiry(), this.room.wakeAt(now)].filter(
      (ms): ms is number => ms !== null,
    );
    const target = candidates.length === 0 ? null : Math.min(...candidates);
    const known = this.scheduledAlarmMs;
    if (target === known) return;
    // Sooner is always needed. Later (or none) only when `exact`: after the holds changed
    // (the earliest one paid, released or extended), so the stored alarm is always the next
    // expiry; not on the waiting room's hot paths, where an early wake costs less than a write.
    const sooner = target !== null && (known === null || known === undefined || target < known);
    if (!sooner && !exact) return;
    this.scheduledAlarmMs = target;
    void (target === null ? this.ctx.storage.deleteAlarm() : this.ctx.storage.setAlarm(target));
  }
}
