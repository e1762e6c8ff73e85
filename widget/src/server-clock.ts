/**
 * Tessera's time as the buyer's browser can know it. A hold's `expiresAt` is the server's
 * time; a buyer whose clock is off by minutes would otherwise see the wrong time left (or an
 * expired reservation that is still there). Each readable answer's `Date` header gives the
 * offset between the two clocks, taken again with every answer.
 */
export const DATE_RESOLUTION_MS = 1000;

export class ServerClock {
  /** Server time minus local time, in milliseconds (0 until an answer said otherwise). */
  private offset = 0;

  constructor(private readonly localNow: () => number = () => Date.now()) {}

  /** Takes the offset from an answer's `Date` header; a missing or unreadable one is ignored. */
  observe(dateHeader: string | null): void {
    const server = dateHeader ? Date.parse(dateHeader) : Number.NaN;
    // `Date` has whole seconds: the server's time is before the next one. Counting on that
    // end never shows more time left than the server will grant ("11 minutes" of a 10-minute
    // hold); at worst the reservation ends a second early in the widget.
    if (Number.isFinite(server)) this.offset = server + DATE_RESOLUTION_MS - this.localNow();
  }

  /** Now, on the server's clock. */
  now(): number {
    return this.localNow() + this.offset;
  }
}
