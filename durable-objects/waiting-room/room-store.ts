import type { LotteryDraw, WaitingRoomConfig } from './types';

/** The room's one row: settings (from configure) and counters (from joins and ticks). */
export interface RoomRow extends Record<string, SqlStorageValue> {
  mode: WaitingRoomConfig['mode'];
  active_limit: number;
  admit_per_minute: number;
  admission_minutes: number;
  auto_threshold: number;
  pre_queue_minutes: number;
  /** The latest sequence number handed out. */
  joined: number;
  /** Ranks 1..watermark are admitted. */
  watermark: number;
  lottery_seed: number | null;
  /** Null until the draw at sales start; 0 when nobody joined early. */
  lottery_size: number | null;
  credit: number;
  last_tick_ms: number | null;
  /** mode `auto`: whether the room guards holds right now (1) or not (0). */
  auto_active: number;
  /** The organizer paused admission (1): ticks move nothing. */
  paused: number;
}

/**
 * Reads the room row once and keeps it in memory: every write goes through here and updates
 * the copy, so `roomState()` is served without touching storage. Callers run inside the
 * DO's synchronous transactions; `forget()` drops the copy when one may have rolled back.
 */
export class RoomStore {
  private cached: RoomRow | undefined;

  constructor(private readonly sql: SqlStorage) {}

  row(): RoomRow {
    this.cached ??= this.sql.exec<RoomRow>('SELECT * FROM room WHERE id = 1').one();
    return this.cached;
  }

  forget(): void {
    this.cached = undefined;
  }

  /** New settings; the queue itself (sequence numbers, watermark, draw) is left alone. */
  configure(config: WaitingRoomConfig): void {
    this.sql.exec(
      `UPDATE room SET mode = ?, active_limit = ?, admit_per_minute = ?, admission_minutes = ?,
         auto_threshold = ?, pre_queue_minutes = ? WHERE id = 1`,
      config.mode,
      config.activeLimit,
      config.admitPerMinute,
      config.admissionMinutes,
      config.autoThreshold,
      config.preQueueMinutes,
    );
    this.forget();
  }

  lottery(): LotteryDraw | null {
    const { lottery_seed: seed, lottery_size: size } = this.row();
    return seed !== null && size !== null && size > 0 ? { seed, size } : null;
  }

  isDrawn(): boolean {
    return this.row().lottery_size !== null;
  }

  /** One UPDATE per join: the next sequence number (optionally admitted at once). */
  join(admitAtOnce: boolean): number {
    const bump = admitAtOnce ? 1 : 0;
    const next = this.sql
      .exec<{ joined: number; watermark: number }>(
        'UPDATE room SET joined = joined + 1, watermark = watermark + ? WHERE id = 1 RETURNING joined, watermark',
        bump,
      )
      .one();
    const row = this.row();
    row.joined = next.joined;
    row.watermark = next.watermark;
    return next.joined;
  }

  /** Stores the draw once: everyone who joined so far is in it. */
  draw(seed: number, size: number): void {
    this.sql.exec(
      'UPDATE room SET lottery_seed = ?, lottery_size = ? WHERE id = 1',
      seed >>> 0,
      size,
    );
    const row = this.row();
    row.lottery_seed = seed >>> 0;
    row.lottery_size = size;
  }

  /** Forgets a draw nobody was in (sales moved later before anyone joined). */
  undraw(): void {
    this.sql.exec(
      'UPDATE room SET lottery_seed = NULL, lottery_size = NULL WHERE id = 1 AND joined = 0',
    );
    this.forget();
  }

  saveTick(watermark: number, credit: number, atMs: number): void {
    this.sql.exec(
      'UPDATE room SET watermark = ?, credit = ?, last_tick_ms = ? WHERE id = 1',
      watermark,
      credit,
      atMs,
    );
    const row = this.row();
    row.watermark = watermark;
    row.credit = credit;
    row.last_tick_ms = atMs;
  }

  /**
   * Pauses or resumes admission. Either way the tick clock starts over (no credit, no last
   * tick), so a resumed room admits at its rate from now on, never a burst for the pause.
   */
  setPaused(paused: boolean): void {
    this.sql.exec(
      'UPDATE room SET paused = ?, credit = 0, last_tick_ms = NULL WHERE id = 1',
      paused ? 1 : 0,
    );
    const row = this.row();
    row.paused = paused ? 1 : 0;
    row.credit = 0;
    row.last_tick_ms = null;
  }

  setAutoActive(active: boolean): void {
    const value = active ? 1 : 0;
    if (this.row().auto_active === value) return;
    this.sql.exec('UPDATE room SET auto_active = ? WHERE id = 1', value);
    this.row().auto_active = value;
  }
}
