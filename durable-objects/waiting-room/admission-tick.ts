/**
 * The waiting room's clockwork, pure: how far one alarm tick moves the watermark. The DO
 * feeds it the room's counters and the time; tests drive it with a simulated clock.
 */

/** The room ticks about once a second while anyone waits or a reservation is open. */
export const TICK_MS = 1_000;

/**
 * How long the watermark's advance keeps a slot reserved for a buyer who was admitted but
 * has not claimed the admission yet. A waiting page near the front polls every 2 s, so an
 * open page claims within seconds; two minutes also covers a phone that slept or a background
 * tab whose timers the browser throttles to once a minute. After that the slot goes back to
 * the line; a late buyer is still admitted when a slot is free.
 */
export const CLAIM_WINDOW_MS = 120_000;

/** A stalled alarm can make up for at most this many seconds of admissions at once. */
export const MAX_BURST_SECONDS = 3;

export interface TickInput {
  now: number;
  /** When the previous tick ran (null: never, or not since the room went quiet). */
  lastTickMs: number | null;
  /** Admissions earned but not yet spent (fractional, carried from tick to tick). */
  credit: number;
  admitPerMinute: number;
  /** activeLimit minus active shoppers (may be negative after the limit was lowered). */
  freeSlots: number;
  /** Buyers who joined and are below no watermark yet. */
  waiting: number;
}

export interface TickPlan {
  /** How many more ranks the watermark covers after this tick. */
  admit: number;
  /** Credit to carry to the next tick. */
  credit: number;
}

/** The most credit a room may hold: a few seconds' worth, and at least one admission. */
export function creditCap(admitPerMinute: number): number {
  return Math.max(1, (admitPerMinute * MAX_BURST_SECONDS) / 60);
}

/**
 * Credit accrues at `admitPerMinute` for the time since the last tick (a first tick counts
 * one tick's worth) and is capped, so a late alarm never floods the shop. The watermark then
 * advances by whole admissions, bounded by free slots and by the people still waiting; the
 * fraction is kept, so 1000/min over sixty 1 s ticks admits 1000, not 60 x 16.
 */
export function planTick(input: TickInput): TickPlan {
  const elapsed = input.lastTickMs === null ? TICK_MS : Math.max(0, input.now - input.lastTickMs);
  const earned = Math.min(
    creditCap(input.admitPerMinute),
    input.credit + (input.admitPerMinute * elapsed) / 60_000,
  );
  // The epsilon absorbs float drift: six ticks of 10/min earn 0.9999999999999999, not 1.
  const whole = Math.floor(earned + 1e-9);
  const admit = Math.max(0, Math.min(whole, input.freeSlots, input.waiting));
  return { admit, credit: Math.max(0, earned - admit) };
}

/** Admissions per minute seen over a window of tick records (0 when nothing moved). */
export function observedRatePerMinute(
  admitted: number,
  oldestTickMs: number | null,
  now: number,
  windowMs = 60_000,
): number {
  if (admitted <= 0 || oldestTickMs === null) return 0;
  // A room that started admitting 10 s ago is measured over those 10 s (each record stands
  // for about one tick before it), not diluted over a whole minute.
  const span = Math.min(windowMs, Math.max(TICK_MS, now - oldestTickMs + TICK_MS));
  return Math.round((admitted * 60_000) / span);
}
