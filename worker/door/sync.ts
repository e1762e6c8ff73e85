import { and, eq, inArray } from 'drizzle-orm';
import type { OfflineScan, SyncOutcome } from '../../durable-objects/door/types';
import { inventoryFor } from '../catalog/inventory';
import { bindSlices } from '../db/bind-slices';
import type { Db } from '../db/client';
import { tickets } from '../db/schema';
import { type FieldError, notFound, problem, validationFailed } from '../domain/errors';
import { verifyTicketCode } from '../tickets/codes';
import type { DoorDevice } from './devices';
import type { CheckinList } from './lists';
import { MAX_CLOCK_SKEW_MS, MAX_SCAN_AGE_MS, type OfflineScanInput } from './scan-input';

/**
 * A device's offline scans, accepted as facts with their own time. The batch is checked whole
 * first (shape, nonces, times, lists): a bad batch is refused and nothing is written. A scan of
 * a code that is forged or of another event is answered, not recorded (it names no ticket of
 * this event).
 */

export type SyncAnswer = SyncOutcome | { nonce: string; outcome: 'invalid' | 'wrong_event' };

export async function syncDeviceScans(
  env: Env,
  db: Db,
  device: DoorDevice,
  lists: CheckinList[],
  scans: OfflineScanInput[],
  nowMs: number,
): Promise<{ results: SyncAnswer[]; recorded: number; replayed: number }> {
  checkBatch(scans, lists, nowMs);
  const listById = new Map(lists.map((l) => [l.id, l]));
  const resolved = await Promise.all(scans.map((scan) => ticketOf(env, device.eventId, scan)));
  const known = await existingTickets(
    db,
    device.eventId,
    resolved.filter((r): r is string => typeof r === 'string'),
  );
  const answers: (SyncAnswer | null)[] = [];
  const facts: OfflineScan[] = [];
  for (const [i, scan] of scans.entries()) {
    const ticketId = resolved[i];
    if (typeof ticketId !== 'string' || !known.has(ticketId)) {
      const outcome = typeof ticketId === 'string' ? 'invalid' : (ticketId?.refused ?? 'invalid');
      answers.push({ nonce: scan.nonce, outcome });
      continue;
    }
    const list = listById.get(scan.listId);
    answers.push(null);
    facts.push({
      nonce: scan.nonce,
      ticketId,
      listId: scan.listId,
      direction: list?.direction ?? 'entry',
      gate: scan.gate ?? list?.gate ?? null,
      scannedMs: Date.parse(scan.scannedAt),
      result: scan.result,
    });
  }
  if (facts.length === 0) return { results: answers as SyncAnswer[], recorded: 0, replayed: 0 };
  const outcome = await inventoryFor(env, device.eventId).syncScans(device.id, facts);
  if (!outcome) throw notFound('event');
  if (!outcome.ok) {
    const index = scans.findIndex((s) => s.nonce === outcome.nonce);
    throw problem('nonce_reused', 'A nonce of this batch was already used for another scan.', {
      nonce: outcome.nonce,
      errors: [{ path: `scans.${index}.nonce`, message: 'Already used for another scan' }],
    });
  }
  const fromObject = outcome.results[Symbol.iterator]();
  const results = answers.map((a) => a ?? (fromObject.next().value as SyncOutcome));
  return { results, recorded: outcome.recorded, replayed: outcome.replayed };
}

function checkBatch(scans: OfflineScanInput[], lists: CheckinList[], nowMs: number): void {
  const allowed = new Set(lists.map((l) => l.id));
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const [i, scan] of scans.entries()) {
    if (seen.has(scan.nonce))
      errors.push({ path: `scans.${i}.nonce`, message: 'Repeated in this batch' });
    seen.add(scan.nonce);
    if (!allowed.has(scan.listId)) {
      errors.push({ path: `scans.${i}.listId`, message: 'No such check-in list for this device' });
    }
    const at = Date.parse(scan.scannedAt);
    if (at > nowMs + MAX_CLOCK_SKEW_MS) {
      errors.push({
        path: `scans.${i}.scannedAt`,
        message: 'In the future; check the device clock',
      });
    } else if (at < nowMs - MAX_SCAN_AGE_MS) {
      errors.push({ path: `scans.${i}.scannedAt`, message: 'Older than 14 days' });
    }
  }
  if (errors.length > 0)
    throw validationFailed(errors, 'The batch is not valid; nothing was recorded.');
}

async function ticketOf(
  env: Env,
  eventId: string,
  scan: OfflineScanInput,
): Promise<string | { refused: 'invalid' | 'wrong_event' }> {
  if (scan.ticketId !== undefined) return scan.ticketId;
  const claims = await verifyTicketCode(env, scan.code ?? '');
  if (!claims) return { refused: 'invalid' };
  if (claims.eventId !== eventId) return { refused: 'wrong_event' };
  return claims.ticketId;
}

/** Which of these ticket ids are tickets of the event (D1 binds at most 100 values a query). */
async function existingTickets(db: Db, eventId: string, ids: string[]): Promise<Set<string>> {
  const unique = [...new Set(ids)];
  const queries = bindSlices(unique).map((slice) =>
    db
      .select({ id: tickets.id })
      .from(tickets)
      .where(and(eq(tickets.eventId, eventId), inArray(tickets.id, slice))),
  );
  const [first, ...rest] = queries;
  if (!first) return new Set();
  const pages = await db.batch([first, ...rest]);
  return new Set(pages.flat().map((row) => row.id));
}
