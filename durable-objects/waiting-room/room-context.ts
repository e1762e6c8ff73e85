import type { SettingsRow } from '../inventory/rows';
import { readAdmitRate, readRoomLoad } from './room-load';
import { RoomStore } from './room-store';
import { type RoomReading, roomPhase, waitingCount } from './room-view';

/** How long a reading of the room's load serves `roomState()` before it is taken again. */
const READING_TTL_MS = 1_000;

/**
 * What the room's operations share: storage, the cached row, the latest reading of the load,
 * and the two lazy transitions every entry point applies first (the draw, the auto flag).
 */
export class RoomContext {
  readonly store: RoomStore;
  private reading: RoomReading | null = null;
  /** When a tick last ran, moving the watermark or not (paces the alarm). */
  lastTickRunMs: number | null = null;

  constructor(
    readonly sql: SqlStorage,
    private readonly settingsOf: () => SettingsRow | undefined,
  ) {
    this.store = new RoomStore(sql);
  }

  settings(): SettingsRow | undefined {
    return this.settingsOf();
  }

  requireSettings(): SettingsRow {
    const settings = this.settingsOf();
    if (!settings) throw new Error('waiting room of an unconfigured event');
    return settings;
  }

  forget(): void {
    this.store.forget();
    this.reading = null;
  }

  /** Something freed or took a slot: the next reading is taken fresh. */
  loadChanged(): void {
    this.reading = null;
  }

  /** The latest reading when under a second old (roomState is served from memory). */
  currentReading(now: number): RoomReading {
    const kept = this.reading;
    if (kept && now >= kept.atMs && now - kept.atMs < READING_TTL_MS) return kept;
    return this.freshReading(now);
  }

  freshReading(now: number): RoomReading {
    this.reading = {
      load: readRoomLoad(this.sql, now, this.store.row().watermark),
      rate: readAdmitRate(this.sql, now),
      atMs: now,
    };
    return this.reading;
  }

  /** Slots reserved for admitted buyers who have not claimed, as last read (0: unknown). */
  lastReserved(): number {
    return this.reading?.load.reserved ?? 0;
  }

  /** The pre-queue is shuffled once, by one stored seed, on the first call after sales open. */
  drawWhenSalesOpen(settings: SettingsRow, now: number): void {
    if (this.store.isDrawn() || this.store.row().mode === 'off') return;
    if (settings.sales_start_ms !== null && now < settings.sales_start_ms) return;
    const [seed = 0] = crypto.getRandomValues(new Uint32Array(1));
    this.store.draw(seed, this.store.row().joined);
  }

  /**
   * mode `auto`: the room guards holds while anyone waits or more shoppers than the
   * threshold are active; so it turns on above the threshold and off only once the line is
   * empty and the shoppers are back under it.
   */
  refreshAuto(settings: SettingsRow, reading: RoomReading, now: number): void {
    const row = this.store.row();
    if (row.mode !== 'auto' || roomPhase(settings, row, now) === 'off') return;
    this.store.setAutoActive(
      waitingCount(row) > 0 || reading.load.activeShoppers > row.auto_threshold,
    );
  }
}
