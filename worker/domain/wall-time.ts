/**
 * Wall-clock times in an IANA time zone, as `<input type="datetime-local">` reads and writes
 * them (`2027-03-01T20:00`). Organizers think in the venue's local time; storage is UTC.
 */

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** The offset of `timeZone` from UTC at `instantMs`, in minutes (Berlin in winter: 60). */
function offsetMinutes(instantMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instantMs));
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - Math.floor(instantMs / 1000) * 1000) / 60_000);
}

/** An instant (ISO 8601) as the wall time in `timeZone`, to the minute. */
export function toWallTime(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  const local = new Date(ms + offsetMinutes(ms, timeZone) * 60_000);
  return local.toISOString().slice(0, 16);
}

/**
 * The instant a wall time in `timeZone` names, as ISO 8601 UTC; null when `wall` is not a
 * wall time. A time skipped by a DST jump resolves to the instant just after the jump; a
 * time repeated by a DST fall-back resolves to its first occurrence.
 */
export function fromWallTime(wall: string, timeZone: string): string | null {
  const match = WALL_TIME.exec(wall);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  const check = new Date(asUtc);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return null;
  // Two passes settle on the offset in force at the resulting instant.
  const before = asUtc - offsetMinutes(asUtc - 86_400_000, timeZone) * 60_000;
  const candidates = [
    asUtc - offsetMinutes(asUtc, timeZone) * 60_000,
    before,
    asUtc - offsetMinutes(asUtc + 86_400_000, timeZone) * 60_000,
  ];
  const exact = candidates
    .filter((ms) => toWallTime(new Date(ms).toISOString(), timeZone) === wall)
    .sort((a, b) => a - b)[0];
  if (exact !== undefined) return new Date(exact).toISOString();
  // Skipped by a spring-forward jump: the wall time does not exist; take the moment after.
  return new Date(Math.max(...candidates)).toISOString();
}
