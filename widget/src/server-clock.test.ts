import { afterEach, describe, expect, it, vi } from 'vitest';
import { storefrontApi } from './api';
import { Countdown } from './countdown';
import { DATE_RESOLUTION_MS, ServerClock } from './server-clock';

const SERVER_NOW = Date.parse('2026-11-30T12:00:00Z');
/** What a `Date` of SERVER_NOW means: the server's time is before the next whole second. */
const SERVER_LATEST = SERVER_NOW + DATE_RESOLUTION_MS;
/** The buyer's clock runs ten minutes behind the server's. */
const BUYER_NOW = SERVER_NOW - 10 * 60_000;

describe('ServerClock', () => {
  it("counts on the server's time once an answer carried a Date header", () => {
    const clock = new ServerClock(() => BUYER_NOW);
    expect(clock.now()).toBe(BUYER_NOW);
    clock.observe(new Date(SERVER_NOW).toUTCString());
    expect(clock.now()).toBe(SERVER_LATEST);
  });

  it('keeps the last offset when an answer has no readable Date', () => {
    const clock = new ServerClock(() => BUYER_NOW);
    clock.observe(new Date(SERVER_NOW).toUTCString());
    clock.observe(null);
    clock.observe('not a date');
    expect(clock.now()).toBe(SERVER_LATEST);
  });

  it('takes the offset again from every answer', () => {
    let local = BUYER_NOW;
    const clock = new ServerClock(() => local);
    clock.observe(new Date(SERVER_NOW).toUTCString());
    local = SERVER_NOW + 60_000; // the buyer fixed their clock, a little too far
    clock.observe(new Date(SERVER_NOW + 5_000).toUTCString());
    expect(clock.now()).toBe(SERVER_LATEST + 5_000);
  });
});

describe('the storefront client', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("sets the clock from each answer's Date header", async () => {
    const clock = new ServerClock(() => BUYER_NOW);
    const fetchSpy = vi.fn(
      async () =>
        new Response(JSON.stringify({ id: 'evt_1' }), {
          headers: { 'content-type': 'application/json', date: new Date(SERVER_NOW).toUTCString() },
        }),
    );
    vi.stubGlobal('fetch', fetchSpy);
    await storefrontApi('https://tessera.example', clock).event('night-owls');
    expect(fetchSpy).toHaveBeenCalledOnce();
    expect(clock.now()).toBe(SERVER_LATEST);
  });
});

describe('the countdown on a buyer clock ten minutes behind', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the time left by the server, not 25 minutes for a 15-minute hold', () => {
    vi.useFakeTimers({ now: BUYER_NOW });
    const clock = new ServerClock();
    clock.observe(new Date(SERVER_NOW).toUTCString());
    const seconds: number[] = [];
    const minutes: number[] = [];
    const countdown = new Countdown(
      { second: (left) => seconds.push(left), minute: (m) => minutes.push(m), end: () => {} },
      () => clock.now(),
    );
    countdown.sync(SERVER_LATEST + 15 * 60_000);
    expect(seconds).toEqual([15 * 60_000]);
    expect(minutes).toEqual([15]);
    countdown.stop();
  });
});
