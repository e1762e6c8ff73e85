import { runDurableObjectAlarm } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { holdIdOf, manualClock, storedAlarm } from '../inventory/test-support';
import { GA, inventory, ONE_TICKET, roomConfig, roomEvent, seqOf } from './room-test-support';

/**
 * The organizer's pause: through the object's RPC surface, with the real alarm as the tick.
 * Paused, the line stands still (no tick admits, an auto room lets nobody straight in);
 * resumed, it moves again at the room's rate, without a burst for the time it stood.
 */

afterEach(() => {
  vi.useRealTimers();
});

async function watermarkAfterTick(stub: ReturnType<typeof inventory>): Promise<number> {
  await runDurableObjectAlarm(stub);
  return (await stub.roomState())?.watermark ?? -1;
}

describe('waiting room: pause and resume', () => {
  it('a paused room admits nobody; resumed, it admits at its rate again', async () => {
    const clock = manualClock();
    const { stub } = await roomEvent({ mode: 'always', admitPerMinute: 60, activeLimit: 100 });
    for (let i = 0; i < 10; i++) seqOf(await stub.joinQueue());
    expect(await watermarkAfterTick(stub)).toBe(1);

    expect(await stub.setAdmissionPaused(true)).toEqual({ ok: true, paused: true });
    // No tick is planned for the room while it is paused (the alarm stays free of it).
    expect(await storedAlarm(stub)).toBeNull();
    for (let i = 0; i < 5; i++) {
      clock.advance(1_000);
      expect(await watermarkAfterTick(stub)).toBe(1);
    }
    expect((await stub.availability())?.waitingRoom).toMatchObject({
      paused: true,
      queueLength: 9,
      estimatedDrainSeconds: null,
    });

    expect(await stub.setAdmissionPaused(false)).toEqual({ ok: true, paused: false });
    expect(await storedAlarm(stub)).not.toBeNull();
    // One tick's worth at 60/min, not the five seconds it stood.
    expect(await watermarkAfterTick(stub)).toBe(2);
    clock.advance(1_000);
    expect(await watermarkAfterTick(stub)).toBe(3);
    expect((await stub.availability())?.waitingRoom.paused).toBe(false);
  });

  it('pausing is idempotent and survives a catalog update', async () => {
    const { eventId, stub } = await roomEvent({ mode: 'always', admitPerMinute: 6000 });
    await stub.setAdmissionPaused(true);
    await stub.setAdmissionPaused(true);
    // Joined after the pause: the room's real alarm can not admit anyone first on a slow machine.
    seqOf(await stub.joinQueue());
    expect(
      await stub.configure(roomConfig(eventId, { mode: 'always', admitPerMinute: 9000 })),
    ).toEqual({ ok: true });
    expect(await watermarkAfterTick(stub)).toBe(0);
    expect((await stub.availability())?.waitingRoom).toMatchObject({
      paused: true,
      admitPerMinute: 9000,
    });
  });

  it('a paused auto room lets nobody straight in', async () => {
    const { stub } = await roomEvent({ mode: 'auto', autoThreshold: 50, activeLimit: 100 });
    const first = await stub.joinQueue();
    expect(first.ok && first.admission).toBeTruthy();
    await stub.setAdmissionPaused(true);
    const second = await stub.joinQueue();
    expect(second.ok && second.admission).toBeFalsy();
    expect((await stub.roomState())?.active).toBe(true);
  });

  it('an unconfigured object can not be paused', async () => {
    expect(await inventory('evt_nobodyconfiguredthis').setAdmissionPaused(true)).toEqual({
      ok: false,
      code: 'not_found',
    });
  });
});

describe('hidden ticket types', () => {
  it('a hidden type is refused as not on sale, keeps its counts, and sells again once shown', async () => {
    const { eventId, stub } = await roomEvent(
      { mode: 'off' },
      {
        ticketTypes: [
          { id: GA, capacity: 10 },
          { id: 'tt_vip', capacity: 5 },
        ],
      },
    );
    const config = (hidden: boolean) =>
      roomConfig(
        eventId,
        { mode: 'off' },
        {
          ticketTypes: [
            { id: GA, capacity: 10, hidden },
            { id: 'tt_vip', capacity: 5 },
          ],
        },
      );
    holdIdOf(await stub.hold([{ ticketTypeId: GA, quantity: 2 }]));
    expect(await stub.configure(config(true))).toEqual({ ok: true });

    expect(await stub.hold([...ONE_TICKET, { ticketTypeId: 'tt_vip', quantity: 1 }])).toEqual({
      ok: false,
      code: 'not_on_sale',
      reason: 'hidden',
      ticketTypeIds: [GA],
    });
    holdIdOf(await stub.hold([{ ticketTypeId: 'tt_vip', quantity: 1 }]));
    const ga = (await stub.availability())?.ticketTypes.find((t) => t.id === GA);
    expect(ga).toMatchObject({ capacity: 10, held: 2, available: 8 });

    // A Worker that does not know `hidden` (sends none) leaves it as it is.
    expect(
      await stub.configure(
        roomConfig(
          eventId,
          { mode: 'off' },
          {
            ticketTypes: [
              { id: GA, capacity: 10 },
              { id: 'tt_vip', capacity: 5 },
            ],
          },
        ),
      ),
    ).toEqual({ ok: true });
    expect(await stub.hold(ONE_TICKET)).toMatchObject({ code: 'not_on_sale', reason: 'hidden' });

    expect(await stub.configure(config(false))).toEqual({ ok: true });
    holdIdOf(await stub.hold(ONE_TICKET));
  });
});
