import { abortAllDurableObjects, runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { rankOf } from '../../worker/domain/queue-order';
import type { HoldResult } from '../inventory/types';
import {
  grantOf,
  insideRoom,
  inventory,
  ONE_TICKET,
  roomConfig,
  roomEvent,
  seqOf,
} from './room-test-support';
import type { LotteryDraw } from './types';

/**
 * Shopper slots in real time through the object's RPC surface: what takes a slot, what
 * gives it back, and the admission rules on holds. Ticks come from the real alarm.
 */

function holdIdOf(result: HoldResult): string {
  if (!result.ok) throw new Error(`hold refused: ${result.code}`);
  return result.hold.holdId;
}

/** The draw as the object's storage holds it (not its memory). */
function storedDraw(stub: ReturnType<typeof inventory>): Promise<LotteryDraw> {
  return insideRoom(stub, (_instance, sql) => {
    const row = sql
      .exec<{ seed: number | null; size: number | null }>(
        'SELECT lottery_seed AS seed, lottery_size AS size FROM room',
      )
      .one();
    if (row.seed === null || row.size === null) throw new Error('no draw stored');
    return { seed: row.seed, size: row.size };
  });
}

/** Runs the pending alarm (hold expiry and the room's tick) and reads the watermark. */
async function tick(stub: ReturnType<typeof inventory>): Promise<number> {
  await runDurableObjectAlarm(stub);
  return (await stub.roomState())?.watermark ?? -1;
}

describe('waiting room: slots and holds', () => {
  it('slots come back when a hold is released, expires, or its order is paid', async () => {
    const { stub } = await roomEvent({ mode: 'always', activeLimit: 2, admitPerMinute: 6000 });
    for (let i = 0; i < 3; i++) seqOf(await stub.joinQueue());
    expect(await tick(stub)).toBe(2);
    grantOf(await stub.claimAdmission(1));
    grantOf(await stub.claimAdmission(2));
    expect(await stub.claimAdmission(3)).toMatchObject({ code: 'not_yet_admitted' });

    const first = holdIdOf(await stub.hold(ONE_TICKET, 1));
    const second = holdIdOf(await stub.hold(ONE_TICKET, 2));
    expect(await tick(stub)).toBe(2);
    expect((await stub.availability())?.waitingRoom).toMatchObject({
      queueLength: 1,
      admitted: 2,
      activeShoppers: 2,
      activeLimit: 2,
    });

    // Released: buyer 3 moves up.
    expect(await stub.releaseHold(first)).toEqual({ ok: true, state: 'released' });
    expect(await tick(stub)).toBe(3);
    grantOf(await stub.claimAdmission(3));
    expect(await stub.hold(ONE_TICKET, 1)).toMatchObject({
      code: 'admission_ended',
      reason: 'used',
    });

    // Expired (by the alarm): buyer 4 moves up.
    seqOf(await stub.joinQueue());
    expect(await tick(stub)).toBe(3);
    await insideRoom(stub, (_instance, sql) => {
      sql.exec('UPDATE holds SET expires_ms = ? WHERE id = ?', Date.now() - 1, second);
    });
    expect(await tick(stub)).toBe(4);
    expect((await stub.getHold(second))?.state).toBe('expired');

    // Paid: buyer 5 moves up.
    const third = holdIdOf(await stub.hold(ONE_TICKET, 3));
    grantOf(await stub.claimAdmission(4));
    seqOf(await stub.joinQueue());
    expect(await tick(stub)).toBe(4);
    expect((await stub.beginCheckout(third, 'ord_paid', 30)).ok).toBe(true);
    expect(await stub.confirmOrder('ord_paid', third, ONE_TICKET)).toEqual({
      ok: true,
      outcome: 'converted',
    });
    expect(await tick(stub)).toBe(5);
    expect(await stub.claimAdmission(3)).toMatchObject({ code: 'admission_ended', reason: 'used' });
  });

  it('while active: no hold without an admission, one live hold per admission', async () => {
    const { stub } = await roomEvent({ mode: 'always' });
    expect(await stub.hold(ONE_TICKET)).toEqual({ ok: false, code: 'admission_required' });
    seqOf(await stub.joinQueue());
    // Not claimed yet (even if admitted): still required.
    expect(await stub.hold(ONE_TICKET, 1)).toEqual({ ok: false, code: 'admission_required' });
    await tick(stub);
    const grant = grantOf(await stub.claimAdmission(1));
    expect(grantOf(await stub.claimAdmission(1))).toEqual(grant);
    const holdId = holdIdOf(await stub.hold(ONE_TICKET, 1));
    expect(await stub.hold(ONE_TICKET, 1)).toEqual({
      ok: false,
      code: 'admission_in_use',
      holdId,
    });
    // Claiming again while holding still answers the same grant (a reloaded page).
    expect(grantOf(await stub.claimAdmission(1))).toEqual(grant);
    expect(await stub.claimAdmission(99)).toEqual({ ok: false, code: 'not_found' });
  });

  it('an admission that lapses unused frees its slot and can no longer hold', async () => {
    const { stub } = await roomEvent({ mode: 'always', activeLimit: 1, admitPerMinute: 6000 });
    seqOf(await stub.joinQueue());
    seqOf(await stub.joinQueue());
    expect(await tick(stub)).toBe(1);
    grantOf(await stub.claimAdmission(1));
    expect(await tick(stub)).toBe(1);
    await insideRoom(stub, (_instance, sql) => {
      sql.exec('UPDATE admissions SET expires_ms = ? WHERE seq = 1', Date.now() - 1);
    });
    expect(await tick(stub)).toBe(2);
    expect(await stub.claimAdmission(1)).toEqual({
      ok: false,
      code: 'admission_ended',
      reason: 'lapsed',
    });
    expect(await stub.hold(ONE_TICKET, 1)).toEqual({
      ok: false,
      code: 'admission_ended',
      reason: 'lapsed',
    });
  });

  it('auto: turns on above the threshold, off once the line is empty and shoppers are back under', async () => {
    // One admission a minute: nobody is let in until the simulated tick below.
    const { stub } = await roomEvent({
      mode: 'auto',
      autoThreshold: 2,
      activeLimit: 10,
      admitPerMinute: 1,
    });
    expect((await stub.roomState())?.active).toBe(false);
    const holds = [];
    for (let i = 0; i < 3; i++) holds.push(holdIdOf(await stub.hold(ONE_TICKET)));
    expect(await stub.hold(ONE_TICKET)).toEqual({ ok: false, code: 'admission_required' });
    expect((await stub.roomState())?.active).toBe(true);

    const waiting = await stub.joinQueue();
    expect(waiting).toMatchObject({ ok: true, seq: 1 });
    expect(waiting.ok && waiting.admission).toBeFalsy();
    for (const holdId of holds.slice(0, 2)) await stub.releaseHold(holdId);
    // Shoppers are under the threshold, but buyer 1 still waits: still active.
    expect((await stub.roomState())?.active).toBe(true);
    expect(await stub.hold(ONE_TICKET)).toEqual({ ok: false, code: 'admission_required' });

    await insideRoom(stub, (instance) => instance.room.tick(Date.now() + 61_000));
    const room = await stub.roomState();
    expect(room).toMatchObject({ watermark: 1, active: false });

    // Idle again: a joiner is admitted at once, and that admission holds.
    const atOnce = await stub.joinQueue();
    expect(atOnce).toMatchObject({ ok: true, seq: 2, admission: { seq: 2 } });
    expect((await stub.roomState())?.watermark).toBe(2);
    expect((await stub.hold(ONE_TICKET, 2)).ok).toBe(true);
    expect(await stub.hold(ONE_TICKET, 2)).toMatchObject({ code: 'admission_in_use' });
  });

  it('off: no line, and holds work without an admission', async () => {
    const { stub } = await roomEvent({ mode: 'off' });
    expect(await stub.joinQueue()).toEqual({ ok: false, code: 'waiting_room_off' });
    expect((await stub.hold(ONE_TICKET)).ok).toBe(true);
    expect(await stub.roomState()).toMatchObject({ active: false, phase: 'off' });
    // The organizer's figures follow every hold at once, not a second later.
    expect((await stub.availability())?.waitingRoom.activeShoppers).toBe(1);
    expect((await stub.hold(ONE_TICKET)).ok).toBe(true);
    expect((await stub.availability())?.waitingRoom).toMatchObject({
      activeShoppers: 2,
      queueLength: 0,
      admitted: 0,
      admissionRatePerMinute: 0,
      estimatedDrainSeconds: null,
    });
  });

  it('refuses joins before the pre-queue opens, after sales, and for drafts', async () => {
    const salesStart = new Date(Date.now() + 120 * 60_000).toISOString();
    const early = await roomEvent({ preQueueMinutes: 30 }, { salesStartAt: salesStart });
    expect(await early.stub.joinQueue()).toMatchObject({ ok: false, code: 'queue_not_open' });
    const ended = await roomEvent({}, { salesEndAt: new Date(Date.now() - 1000).toISOString() });
    expect(await ended.stub.joinQueue()).toEqual({
      ok: false,
      code: 'not_on_sale',
      reason: 'ended',
    });
    const draft = await roomEvent({}, { status: 'draft' });
    expect(await draft.stub.joinQueue()).toEqual({
      ok: false,
      code: 'not_on_sale',
      reason: 'draft',
    });
    expect(await inventory('evt_00000000000000000000').joinQueue()).toEqual({
      ok: false,
      code: 'not_found',
    });
  });

  it('new settings and a restart lose nothing of the line, its draw included', async () => {
    // Five buyers in the pre-queue, then sales open: a real draw (seed and size) is stored.
    const salesStart = Date.now() + 1500;
    const sales = { salesStartAt: new Date(salesStart).toISOString() };
    const settings = { mode: 'always', activeLimit: 3, preQueueMinutes: 5 } as const;
    const { eventId, stub } = await roomEvent(settings, sales);
    for (let i = 0; i < 5; i++) seqOf(await stub.joinQueue());
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, salesStart - Date.now()) + 50));
    expect(await tick(stub)).toBe(3);
    const stored = await storedDraw(stub);
    expect(stored).toEqual({ seed: expect.any(Number), size: 5 });
    // The buyer the draw put first in line.
    const first = [1, 2, 3, 4, 5].find((seq) => rankOf(seq, stored) === 1) ?? 0;
    const grant = grantOf(await stub.claimAdmission(first));
    const holdId = holdIdOf(await stub.hold(ONE_TICKET, first));
    const newSettings = roomConfig(eventId, { ...settings, activeLimit: 4 }, sales);
    expect(await stub.configure(newSettings)).toEqual({ ok: true });
    const before = await stub.roomState();
    expect(before).toMatchObject({ joined: 5, activeLimit: 4, lottery: stored });
    expect(before?.watermark).toBeGreaterThanOrEqual(3);

    await abortAllDurableObjects();
    const again = inventory(eventId);
    const after = await again.roomState();
    expect(after).toMatchObject({ joined: 5, activeLimit: 4, lottery: stored });
    expect(after?.watermark).toBeGreaterThanOrEqual(3);
    expect(await storedDraw(again)).toEqual(stored);
    expect(grantOf(await again.claimAdmission(first))).toEqual(grant);
    expect(await again.hold(ONE_TICKET, first)).toEqual({
      ok: false,
      code: 'admission_in_use',
      holdId,
    });
    expect(await again.joinQueue()).toMatchObject({ ok: true, seq: 6 });
    expect((await again.metrics()).byMethod).toMatchObject({ roomState: 1, joinQueue: 1 });
  });
});
