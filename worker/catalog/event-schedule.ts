import type { FieldError } from '../domain/errors';

/**
 * The dates of an event that can be sold: not in year 0000 nor decades ahead (a typo, or a
 * probe), an end after the start, and a sales window that closes by the time the event is
 * over. docs/API.md "Organizer API" lists the rules.
 */

export const EARLIEST_YEAR = 2000;
export const MAX_YEARS_AHEAD = 10;

export interface Schedule {
  startsAt: string;
  endsAt: string | null;
  salesStartAt: string | null;
  salesEndAt: string | null;
}

/** Why an instant is out of the range any event date may have, or null. */
export function instantRangeProblem(iso: string, now: number): string | null {
  const at = Date.parse(iso);
  const latest = new Date(now);
  latest.setUTCFullYear(latest.getUTCFullYear() + MAX_YEARS_AHEAD);
  if (Number.isNaN(at) || at < Date.UTC(EARLIEST_YEAR, 0, 1) || at > latest.getTime()) {
    return `Must be between the year ${EARLIEST_YEAR} and ${MAX_YEARS_AHEAD} years from now`;
  }
  return null;
}

/**
 * The rules between the dates (those given: a patch may carry some of them). `startsInFuture`:
 * the start is being set or published, so it must not have passed.
 */
export function scheduleErrors(
  schedule: Partial<Schedule>,
  now: number,
  options: { startsInFuture: boolean },
): FieldError[] {
  const errors: FieldError[] = [];
  const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);
  const starts = ms(schedule.startsAt);
  const ends = ms(schedule.endsAt);
  const salesStart = ms(schedule.salesStartAt);
  const salesEnd = ms(schedule.salesEndAt);
  if (options.startsInFuture && starts !== null && starts <= now) {
    errors.push({ path: 'startsAt', message: 'Must be in the future' });
  }
  if (starts !== null && ends !== null && ends <= starts) {
    errors.push({ path: 'endsAt', message: 'Must be after startsAt' });
  }
  if (salesStart !== null && salesEnd !== null && salesEnd <= salesStart) {
    errors.push({ path: 'salesEndAt', message: 'Must be after salesStartAt' });
  }
  // Over means endsAt, or startsAt for an event without an end.
  const over = ends ?? starts;
  if (over !== null && salesStart !== null && salesStart >= over) {
    errors.push({ path: 'salesStartAt', message: 'Must be before the event is over' });
  }
  if (over !== null && salesEnd !== null && salesEnd > over) {
    errors.push({
      path: 'salesEndAt',
      message: 'Must not be after the event is over (endsAt, or startsAt without one)',
    });
  }
  return errors;
}
