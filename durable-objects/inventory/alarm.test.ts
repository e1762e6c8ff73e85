import { abortAllDurableObjects, runDurableObjectAlarm } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inventory, roomEvent } from '../waiting-room/room-test-support';
import {
  earliestActiveExpiry,
  holdIdOf,
  type InventoryStub,
  manualClock,
  storedAlarm,
} from './test-support';

const MINUTE = 60_000;
const GA = [{ ticketTypeId: 'tt_ga', quantity: 1 }];

/** The stored alarm is the earliest active hold's expiry (the room is off: nothing else wakes it). */
async function expectAlarmAt(stub: InventoryStub, expected: number | null): Promise<void> {
  expect(await earliestActiveExpiry(stub)).toBe(expected);
  expect(await storedAlarm(stub)).toBe(expected);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the hold alarm', () => {
  it('is always the earliest active expiry: after a hold, a checkout, a release and a restart', async () => {
    const clock = manualClock();
    const t0 = clock.start;
    const { eventId, stub } = await roomEvent({ mode: 'off' }, { holdMinutes: 10 });
    expect(await storedAlarm(stub)).toBeNull();

    const a = holdIdOf(await stub.hold(GA, undefined, 'ip4:192.0.2.1'));
    await expectAlarmAt(stub, t0 + 10 * MINUTE);

    clock.set(t0 + MINUTE);
    const b = holdIdOf(await stub.hold(GA, undefined, 'ip4:192.0.2.2'));
    await expectAlarmAt(stub, t0 + 10 * MINUTE);

    // A checkout a minute before A lapses moves A past B: B is now the next to expire.
    clock.set(t0 + 9 * MINUTE);
    expect(await stub.beginCheckout(a, 'ord_a', 5)).toMatchObject({ ok: true });
    await expectAlarmAt(stub, t0 + 11 * MINUTE);

    // Releasing B leaves A (in checkout) as the only one.
    expect(await stub.releaseHold(b)).toEqual({ ok: true, state: 'released' });
    await expectAlarmAt(stub, t0 + 14 * MINUTE);

    const c = holdIdOf(await stub.hold(GA, undefined, 'ip4:192.0.2.3'));
    await expectAlarmAt(stub, t0 + 14 * MINUTE);

    // A restart forgets what the instance knew; storage keeps the alarm, and the next change
    // is planned from storage.
    await abortAllDurableObjects();
    const again = inventory(eventId);
    await expectAlarmAt(again, t0 + 14 * MINUTE);
    clock.set(t0 + 10 * MINUTE);
    const d = holdIdOf(await again.hold(GA, undefined, 'ip4:192.0.2.4'));
    await expectAlarmAt(again, t0 + 14 * MINUTE);

    // A is paid: C (placed at t0 + 9 min) is next.
    expect(await again.confirmOrder('ord_a', a, GA)).toEqual({ ok: true, outcome: 'converted' });
    await expectAlarmAt(again, t0 + 19 * MINUTE);

    // The alarm fires when C lapses: C expires, D is next.
    clock.set(t0 + 19 * MINUTE);
    expect(await runDurableObjectAlarm(again)).toBe(true);
    expect((await again.getHold(c))?.state).toBe('expired');
    await expectAlarmAt(again, t0 + 20 * MINUTE);

    // Nothing left to expire: no alarm.
    expect(await again.releaseHold(d)).toEqual({ ok: true, state: 'released' });
    await expectAlarmAt(again, null);
  });
});
