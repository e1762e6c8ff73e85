import { runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { rankOf } from '../../worker/domain/queue-order';
import { insideRoom, roomEvent, seqOf } from './room-test-support';

/**
 * The line itself: sequence numbers, the pre-queue lottery, first come first served after
 * it, and the admission rate. Ticks run on a simulated clock inside the object.
 */

const MINUTE = 60_000;

describe('waiting room: the line', () => {
  it('10,000 joins in one burst: 10,000 distinct sequence numbers, none lost', async () => {
    const { stub } = await roomEvent({ mode: 'always' });
    const started = Date.now();
    const results = [];
    for (let batch = 0; batch < 10; batch++) {
      results.push(...(await Promise.all(Array.from({ length: 1000 }, () => stub.joinQueue()))));
    }
    const elapsed = Date.now() - started;
    const seqs = results.map(seqOf);
    expect(new Set(seqs).size).toBe(10_000);
    expect(Math.min(...seqs)).toBe(1);
    expect(Math.max(...seqs)).toBe(10_000);
    expect((await stub.roomState())?.joined).toBe(10_000);
    expect((await stub.metrics()).byMethod.joinQueue).toBe(10_000);
    console.log(
      `10,000 joins: ${elapsed} ms round trip (${(elapsed / 10_000).toFixed(3)} ms each)`,
    );
    // 10,000 round trips take 15-25 s on a busy two-core machine.
  }, 120_000);

  it('pre-queue: shuffled once at sales open, a permutation that differs from arrival; FIFO after', async () => {
    const salesStart = Date.now() + 60 * MINUTE;
    const { stub } = await roomEvent(
      { mode: 'always', admitPerMinute: 600, activeLimit: 100_000, preQueueMinutes: 90 },
      { salesStartAt: new Date(salesStart).toISOString() },
    );
    const early = await Promise.all(Array.from({ length: 300 }, () => stub.joinQueue()));
    expect(early.map(seqOf).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 300 }, (_, i) => i + 1),
    );
    const before = await stub.roomState();
    expect(before).toMatchObject({ phase: 'pre_queue', lottery: null, watermark: 0 });
    const refused = await stub.claimAdmission(1);
    expect(refused).toMatchObject({ ok: false, code: 'not_yet_admitted', reason: 'in_line' });

    const outcome = await insideRoom(stub, (instance) => {
      const room = instance.room;
      // Sales open: the first tick draws, then 100 more buyers arrive behind the pre-queue.
      room.tick(salesStart);
      const late = Array.from({ length: 100 }, (_, i) => seqOf(room.join(salesStart + i)));
      const admittedAt = new Map<number, number>();
      for (let t = 1; t <= 45; t++) {
        const now = salesStart + t * 1000;
        room.tick(now);
        for (let seq = 1; seq <= 400; seq++) {
          if (!admittedAt.has(seq) && room.claim(seq, now).ok) admittedAt.set(seq, t);
        }
      }
      return {
        late,
        admittedAt: [...admittedAt],
        lottery: room.state(salesStart + 46_000).lottery,
      };
    });
    expect(outcome.late).toEqual(Array.from({ length: 100 }, (_, i) => 301 + i));
    expect(outcome.lottery).toMatchObject({ size: 300 });
    const lottery = outcome.lottery;
    if (!lottery) throw new Error('no draw');

    const ranks = Array.from({ length: 300 }, (_, i) => rankOf(i + 1, lottery));
    expect([...ranks].sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(ranks.filter((rank, i) => rank === i + 1).length).toBeLessThan(30);

    // Everyone was admitted (45 s at 10/s covers 400), in rank order: zero inversions.
    expect(outcome.admittedAt).toHaveLength(400);
    let inversions = 0;
    for (const [seqA, tickA] of outcome.admittedAt) {
      for (const [seqB, tickB] of outcome.admittedAt) {
        if (tickA < tickB && rankOf(seqA, lottery) > rankOf(seqB, lottery)) inversions++;
      }
    }
    expect(inversions).toBe(0);
    // Late arrivals all come after the whole pre-queue, first come first served.
    const tickOf = new Map(outcome.admittedAt);
    const lastEarly = Math.max(...Array.from({ length: 300 }, (_, i) => tickOf.get(i + 1) ?? 0));
    expect(Math.min(...outcome.late.map((seq) => tickOf.get(seq) ?? 0))).toBeGreaterThanOrEqual(
      lastEarly,
    );
  });

  it('the real alarm draws the lottery once sales open', async () => {
    const salesStart = Date.now() + 1500;
    const { stub } = await roomEvent(
      { mode: 'always', preQueueMinutes: 5 },
      { salesStartAt: new Date(salesStart).toISOString() },
    );
    await Promise.all(Array.from({ length: 20 }, () => stub.joinQueue()));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, salesStart - Date.now()) + 50));
    await runDurableObjectAlarm(stub);
    const room = await stub.roomState();
    expect(room).toMatchObject({ phase: 'queue', joined: 20, lottery: { size: 20 } });
    expect(room?.watermark).toBeGreaterThan(0);
  });

  it('a simulated minute of 1 s ticks admits within 5% of admitPerMinute', async () => {
    const { stub } = await roomEvent({ mode: 'always', admitPerMinute: 750, activeLimit: 10_000 });
    const admitted = await insideRoom(stub, (instance) => {
      const room = instance.room;
      const t0 = Date.now();
      for (let i = 0; i < 3000; i++) room.join(t0);
      for (let i = 1; i <= 60; i++) room.tick(t0 + i * 1000);
      return room.state(t0 + 60_000).watermark;
    });
    expect(Math.abs(admitted - 750)).toBeLessThanOrEqual(750 * 0.05);
  });

  it('never more active shoppers than activeLimit, and lapsed slots go back to the line', async () => {
    const { stub } = await roomEvent({
      mode: 'always',
      admitPerMinute: 6000,
      activeLimit: 100,
      admissionMinutes: 1,
    });
    const run = await insideRoom(stub, (instance) => {
      const room = instance.room;
      const t0 = Date.now();
      for (let i = 0; i < 2000; i++) room.join(t0);
      let peak = 0;
      let claimed = 0;
      for (let i = 1; i <= 300; i++) {
        const now = t0 + i * 1000;
        room.tick(now);
        const state = room.state(now);
        peak = Math.max(peak, state.activeShoppers);
        // Every other admitted buyer claims; the rest never show up.
        for (let seq = claimed + 1; seq <= state.watermark; seq += 2) room.claim(seq, now);
        claimed = state.watermark;
      }
      return { peak, watermark: room.state(t0 + 300_000).watermark };
    });
    expect(run.peak).toBeLessThanOrEqual(100);
    expect(run.peak).toBe(100);
    // Claimed admissions lapse after a minute, unclaimed reservations after two: the line moves.
    expect(run.watermark).toBeGreaterThan(200);
  });

  it('a late claimer gets the next free slot, not a reserved one', async () => {
    const { stub } = await roomEvent({ mode: 'always', admitPerMinute: 600, activeLimit: 1 });
    const seen = await insideRoom(stub, (instance) => {
      const room = instance.room;
      const t0 = Date.now();
      room.join(t0);
      room.join(t0);
      room.tick(t0 + 1000);
      const atOne = room.state(t0 + 1000).watermark;
      room.tick(t0 + 60_000);
      const stillOne = room.state(t0 + 60_000).watermark;
      // Buyer 1 never claimed: after the two-minute window its slot goes to buyer 2.
      room.tick(t0 + 122_000);
      const two = room.state(t0 + 122_000).watermark;
      const late = room.claim(1, t0 + 123_000);
      const next = room.claim(2, t0 + 123_000);
      return { atOne, stillOne, two, late, next };
    });
    expect(seen).toMatchObject({ atOne: 1, stillOne: 1, two: 2 });
    expect(seen.late).toMatchObject({
      ok: false,
      code: 'not_yet_admitted',
      reason: 'no_free_slot',
    });
    expect(seen.next.ok).toBe(true);
  });
});
