import { minutesLeft } from './format';

export interface CountdownHandlers {
  /** Every second, with the milliseconds left. */
  second(msLeft: number): void;
  /** When a new whole minute starts (10, 9, …, 1): for a polite announcement. */
  minute(minutes: number): void;
  /** At or after the deadline, once a second until the deadline goes away. */
  end(): void;
}

/** A once-a-second tick towards a deadline (the hold's expiry), running only while there is one. */
export class Countdown {
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastMinute = -1;
  private deadline: number | null = null;

  /** `now`: the server's time (ServerClock), so a buyer's wrong clock does not matter. */
  constructor(
    private readonly handlers: CountdownHandlers,
    private readonly now: () => number = Date.now,
  ) {}

  /** Follows the current deadline; null stops the tick. */
  sync(deadline: number | null): void {
    this.deadline = deadline;
    if (deadline === null) {
      this.stop();
      return;
    }
    this.tick();
    this.timer ??= setInterval(() => this.tick(), 1000);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.lastMinute = -1;
  }

  private tick(): void {
    if (this.deadline === null) return;
    const left = this.deadline - this.now();
    this.handlers.second(left);
    const minutes = minutesLeft(left);
    if (minutes > 0 && minutes !== this.lastMinute) {
      this.lastMinute = minutes;
      this.handlers.minute(minutes);
    }
    if (left <= 0) this.handlers.end();
  }
}
