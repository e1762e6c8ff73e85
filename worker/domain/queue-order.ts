import type { LotteryDraw } from '../../durable-objects/waiting-room/types';

/**
 * The waiting room's order, pure and shared by the event's Durable Object and the Worker: a
 * buyer's rank (place in line) comes from their sequence number and the room's lottery draw
 * alone, so the Worker answers status polls from a cached RoomState without asking the DO.
 */

const FEISTEL_ROUNDS = 6;

/** murmur3's 32-bit finalizer: every input bit flips about half of the output bits. */
function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * One keyed bijection on `bits`-bit numbers: an unbalanced Feistel network. Each round splits
 * the word into a high and a low part, xors the high part with a keyed hash of the low part
 * and swaps them; every round can be undone, so the whole is a permutation.
 */
function feistel(x: number, bits: number, seed: number): number {
  const lowBits = bits >>> 1;
  const highBits = bits - lowBits;
  const lowMask = lowBits === 0 ? 0 : 2 ** lowBits - 1;
  const highMask = 2 ** highBits - 1;
  let word = x;
  for (let round = 0; round < FEISTEL_ROUNDS; round++) {
    const low = word & lowMask;
    const high = Math.floor(word / 2 ** lowBits);
    const key = mix32(Math.imul(low, 0x9e3779b1) ^ seed ^ Math.imul(round + 1, 0x27d4eb2f));
    word = low * 2 ** highBits + ((high ^ key) & highMask);
  }
  return word;
}

/**
 * The place in line (1 = first) of sequence number `seq`. Numbers 1..`lottery.size` (the
 * pre-queue) are shuffled onto ranks 1..size by a permutation keyed by `lottery.seed`;
 * later numbers, and every number when there was no draw, keep their arrival order.
 * Deterministic from (seed, size), a true permutation, and a few microseconds per call.
 */
export function rankOf(seq: number, lottery: LotteryDraw | null): number {
  if (!lottery || lottery.size <= 1 || seq < 1 || seq > lottery.size) return seq;
  const size = lottery.size;
  const bits = 32 - Math.clz32(size - 1);
  // Cycle-walking: permute within the next power of two until the value lands in 0..size-1.
  // That is a permutation of 0..size-1 too, and takes under two steps on average.
  let x = seq - 1;
  do x = feistel(x, bits, lottery.seed >>> 0);
  while (x >= size);
  return x + 1;
}

/** How many buyers stand between this rank and the front (0 once admitted or next). */
export function peopleAhead(rank: number, watermark: number): number {
  return Math.max(0, rank - watermark - 1);
}

/**
 * Seconds until `ahead` more buyers are admitted at `ratePerMinute`. A stalled room (rate 0)
 * still gets an estimate, as if one buyer a minute moved, rather than none at all.
 */
export function etaSeconds(ahead: number, ratePerMinute: number): number {
  if (ahead <= 0) return 0;
  return Math.ceil((ahead * 60) / Math.max(ratePerMinute, 1));
}

export const MIN_POLL_SECONDS = 2;
export const MAX_POLL_SECONDS = 30;

/**
 * How long a waiting page sleeps before asking again: every 2 s near the front (so an
 * admission is picked up at once), up to 30 s far back (where a few seconds change nothing),
 * about a tenth of the remaining wait in between.
 */
export function pollAfterSeconds(etaSeconds: number): number {
  if (etaSeconds <= 20) return MIN_POLL_SECONDS;
  return Math.min(MAX_POLL_SECONDS, Math.max(3, Math.round(etaSeconds / 10)));
}
