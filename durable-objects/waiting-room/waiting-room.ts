import { rankOf } from '../../worker/domain/queue-order';
import type { SettingsRow } from '../inventory/rows';
import {
  admissionRefusal,
  admissionRow,
  attachHold,
  endAdmission,
  grantOf,
  insertAdmission,
} from './admissions';
import { RoomContext } from './room-context';
import { recordAdmissions, reservationLapsed } from './room-load';
import { nextWake, runTick } from './room-tick';
import {
  queueOpensMs,
  roomActive,
  roomPhase,
  toRoomState,
  toRoomStats,
  waitingCount,
} from './room-view';
import type {
  AdmissionFailure,
  ClaimResult,
  JoinResult,
  RoomState,
  RoomStats,
  WaitingRoomConfig,
} from './types';

/**
 * The waiting room of one event, inside its EventInventory object. Every method is
 * synchronous and takes the time as an argument: the object runs them inside its
 * transactions with `Date.now()`, tests with a simulated clock.
 */
export class WaitingRoom {
  private readonly room: RoomContext;

  constructor(sql: SqlStorage, settings: () => SettingsRow | undefined) {
    this.room = new RoomContext(sql, settings);
  }

  /** Drops what is kept in memory (after configure, or a transaction that threw). */
  forget(): void {
    this.room.forget();
  }

  /** New settings from the catalog; the line itself (numbers, watermark, draw) stays. */
  configure(config: WaitingRoomConfig, now: number): void {
    this.room.store.configure(config);
    this.room.loadChanged();
    const start = this.room.settings()?.sales_start_ms ?? null;
    // A draw nobody was in is undone when sales moved later, so the pre-queue is shuffled.
    if (start !== null && now < start) this.room.store.undraw();
  }

  /** Hands out the next sequence number: one UPDATE, no row per waiting buyer. */
  join(now: number): JoinResult {
    const settings = this.room.settings();
    if (!settings) return { ok: false, code: 'not_found' };
    const row = this.room.store.row();
    if (row.mode === 'off') return { ok: false, code: 'waiting_room_off' };
    if (settings.status !== 'on_sale') {
      return { ok: false, code: 'not_on_sale', reason: settings.status };
    }
    if (settings.sales_end_ms !== null && now >= settings.sales_end_ms) {
      return { ok: false, code: 'not_on_sale', reason: 'ended' };
    }
    const opensMs = queueOpensMs(settings, row);
    if (opensMs !== null && now < opensMs) {
      return { ok: false, code: 'queue_not_open', opensAt: new Date(opensMs).toISOString() };
    }
    this.room.drawWhenSalesOpen(settings, now);
    if (this.admitsAtOnce(settings, now)) {
      const seq = this.room.store.join(true);
      const admission = insertAdmission(this.room.sql, seq, seq, now, row.admission_minutes);
      recordAdmissions(this.room.sql, now, row.watermark, 1);
      this.room.loadChanged();
      return { ok: true, seq, room: this.state(now), admission: grantOf(admission) };
    }
    const seq = this.room.store.join(false);
    // Someone waits: an auto room guards holds until the line is empty again.
    if (row.mode === 'auto') this.room.store.setAutoActive(true);
    return { ok: true, seq, room: this.state(now) };
  }

  /** Exchanges a sequence number at or below the watermark for an admission; idempotent. */
  claim(seq: number, now: number): ClaimResult {
    const settings = this.room.settings();
    const row = this.room.store.row();
    if (!settings || !Number.isInteger(seq) || seq < 1 || seq > row.joined) {
      return { ok: false, code: 'not_found' };
    }
    this.room.drawWhenSalesOpen(settings, now);
    const existing = admissionRow(this.room.sql, seq);
    if (existing) {
      if (existing.state === 'used') return { ok: false, code: 'admission_ended', reason: 'used' };
      if (existing.state === 'claimed' && existing.expires_ms <= now) {
        return { ok: false, code: 'admission_ended', reason: 'lapsed' };
      }
      return { ok: true, admission: grantOf(existing) };
    }
    const rank = rankOf(seq, this.room.store.lottery());
    if (!this.room.store.isDrawn() || rank > row.watermark) {
      return { ok: false, code: 'not_yet_admitted', reason: 'in_line', room: this.state(now) };
    }
    // Past the claim window the reserved slot went back to the line: only a free one will do.
    if (reservationLapsed(this.room.sql, rank, now)) {
      const load = this.room.freshReading(now).load;
      if (load.activeShoppers >= row.active_limit) {
        return {
          ok: false,
          code: 'not_yet_admitted',
          reason: 'no_free_slot',
          room: this.state(now),
        };
      }
    }
    const admission = insertAdmission(this.room.sql, seq, rank, now, row.admission_minutes);
    this.room.loadChanged();
    return { ok: true, admission: grantOf(admission) };
  }

  /**
   * Whether a hold may be placed, and with which admission. While the room guards holds an
   * admission is required and must be claimed, unused and not lapsed; otherwise a usable
   * admission is still linked (its slot follows the hold) and anything else is ignored.
   */
  gateHold(
    now: number,
    admissionSeq: number | undefined,
  ): { ok: true; seq: number | null } | AdmissionFailure {
    const settings = this.room.settings();
    if (!settings) return { ok: true, seq: null };
    this.room.drawWhenSalesOpen(settings, now);
    const row = this.room.store.row();
    // auto: turning on must not lag (holds pile up fast); while anyone waits it stays on.
    if (row.mode === 'auto' && (row.auto_active === 0 || waitingCount(row) === 0)) {
      this.room.refreshAuto(settings, this.room.currentReading(now), now);
    }
    const admission =
      admissionSeq === undefined ? undefined : admissionRow(this.room.sql, admissionSeq);
    const refusal = admissionRefusal(admission, now);
    if (!roomActive(settings, row, now)) {
      return { ok: true, seq: refusal === null && admission ? admission.seq : null };
    }
    return refusal ?? { ok: true, seq: admission?.seq ?? null };
  }

  /** A hold was placed; with an admission, that admission's slot is now kept by the hold. */
  holdPlaced(admissionSeq: number | null, holdId: string): void {
    if (admissionSeq !== null) attachHold(this.room.sql, admissionSeq, holdId);
    this.room.loadChanged();
  }

  /** A hold was paid, released or expired: its slot is free, and so is its admission's. */
  holdEnded(admissionSeq: number | null): void {
    if (admissionSeq !== null) endAdmission(this.room.sql, admissionSeq);
    this.room.loadChanged();
  }

  /** The organizer's pause (true) or resume (false); the next tick starts the clock afresh. */
  setPaused(paused: boolean): void {
    this.room.store.setPaused(paused);
    this.room.lastTickRunMs = null;
  }

  /** The alarm's admission tick (room-tick.ts). */
  tick(now: number): void {
    runTick(this.room, now);
  }

  /** When the room next needs the alarm, or null. */
  wakeAt(now: number): number | null {
    return nextWake(this.room, now);
  }

  /** The small public state the Worker caches; served from memory between readings. */
  state(now: number): RoomState {
    const settings = this.room.requireSettings();
    this.room.drawWhenSalesOpen(settings, now);
    const reading = this.room.currentReading(now);
    this.room.refreshAuto(settings, reading, now);
    const { store } = this.room;
    return toRoomState(settings, store.row(), store.lottery(), reading, now);
  }

  /** The organizer's view of the room. */
  stats(now: number): RoomStats {
    const settings = this.room.requireSettings();
    const reading = this.room.currentReading(now);
    return toRoomStats(settings, this.room.store.row(), reading, now);
  }

  /** An auto room with nobody in line and room to spare lets a joiner straight in. */
  private admitsAtOnce(settings: SettingsRow, now: number): boolean {
    const row = this.room.store.row();
    if (row.mode !== 'auto' || roomPhase(settings, row, now) !== 'queue') return false;
    if (row.paused === 1) return false;
    if (waitingCount(row) > 0) return false;
    const reading = this.room.freshReading(now);
    this.room.refreshAuto(settings, reading, now);
    return row.auto_active === 0 && reading.load.activeShoppers < row.active_limit;
  }
}
