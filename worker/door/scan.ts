import { and, eq } from 'drizzle-orm';
import type { OnlineScan, ScanAnswer, ScanResult } from '../../durable-objects/door/types';
import { inventoryFor } from '../catalog/inventory';
import type { Db } from '../db/client';
import { checkinLists, doorDevices, events, orders, tickets, ticketTypes } from '../db/schema';
import { problem, validationFailed } from '../domain/errors';
import { defaultCheckinListId, randomToken } from '../domain/ids';
import { verifyTicketCode } from '../tickets/codes';
import { type ListRefusal, listRefusal } from './list-rules';
import { type CheckinList, defaultList } from './lists';

/** One online scan at the door, shared by `POST /api/v1/checkin` and `POST /api/v1/door/scan`. */

export interface ScanRequest {
  eventId: string;
  /** The signed code from the QR; or, from a device's search, the ticket's id. */
  ticket: { code: string } | { ticketId: string };
  /** Absent: the event's default list. */
  listId?: string | undefined;
  gate?: string | null | undefined;
  nonce?: string | undefined;
  /** The device scanning ('' for the organizer API) and the lists it may use (null: all). */
  scanner: { deviceId: string; listIds: string[] | null };
}

export interface TicketSummary {
  id: string;
  ticketTypeId: string | null;
  ticketTypeName: string | null;
  orderId: string | null;
  holderName: string | null;
}

type Refused = 'invalid' | 'wrong_event' | 'test_ticket' | ListRefusal;

export type ScanResponse =
  | { result: Refused; ticket?: TicketSummary; list?: ListRef }
  | ({ ticket: TicketSummary; list: ListRef } & ScanReply);

type ScanReply =
  | { result: 'ok'; checkedInAt: string; reentry: boolean }
  | {
      result: 'already_checked_in';
      firstCheckedInAt: string;
      gate: string | null;
      device: { id: string; name: string } | null;
    }
  | { result: 'refunded' | 'canceled' };

interface ListRef {
  id: string;
  name: string;
  direction: 'entry' | 'exit';
}

export async function scanTicket(
  env: Env,
  db: Db,
  request: ScanRequest,
  waitUntil: (p: Promise<unknown>) => void,
): Promise<ScanResponse> {
  const ticketId = await resolveTicketId(env, request);
  if (typeof ticketId !== 'string') return { result: ticketId.refused };
  const listId = request.listId ?? defaultCheckinListId(request.eventId);
  const facts = await loadFacts(db, request.eventId, ticketId, listId);
  const list = facts.list;
  const allowed = request.scanner.listIds;
  if (!list || (allowed !== null && !allowed.includes(list.id))) {
    throw validationFailed([{ path: 'listId', message: 'No such check-in list for this scanner' }]);
  }
  const listRef: ListRef = { id: list.id, name: list.name, direction: list.direction };
  if (!facts.ticket) return { result: 'invalid', list: listRef };
  const { status, testMode, ...summary } = facts.ticket;
  // A test-mode order's ticket never enters a live event, and is not recorded as checked in.
  if (testMode && !facts.event?.testMode)
    return { result: 'test_ticket', ticket: summary, list: listRef };
  const refusal = listRefusal(list, { ...summary, status }, facts.event, Date.now());
  if (refusal) return { result: refusal, ticket: summary, list: listRef };

  const scan: OnlineScan = {
    deviceId: request.scanner.deviceId,
    nonce: request.nonce ?? `srv_${randomToken()}`,
    ticketId,
    listId: list.id,
    direction: list.direction,
    gate: request.gate ?? list.gate,
  };
  const outcome = await scanInObject(env, request.eventId, scan, list.isDefault);
  if (!outcome) return { result: 'invalid', ticket: summary, list: listRef };
  if (!outcome.ok) {
    throw problem('nonce_reused', 'This nonce was already used for another scan.', {
      nonce: outcome.nonce,
    });
  }
  const { answer } = outcome;
  if (answer.result === 'ok' && list.isDefault && !answer.reentry) {
    // D1's copy for reports (the object is the truth).
    waitUntil(
      db
        .update(tickets)
        .set({ checkedInAt: answer.checkedInAt })
        .where(eq(tickets.id, ticketId))
        .run(),
    );
  }
  return { ticket: summary, list: listRef, ...(await reply(db, answer)) };
}

async function resolveTicketId(
  env: Env,
  request: ScanRequest,
): Promise<string | { refused: 'invalid' | 'wrong_event' }> {
  if ('ticketId' in request.ticket) return request.ticket.ticketId;
  const claims = await verifyTicketCode(env, request.ticket.code);
  if (!claims) return { refused: 'invalid' };
  if (claims.eventId !== request.eventId) return { refused: 'wrong_event' };
  return claims.ticketId;
}

/** The ticket (of this event), the list and the event, in one D1 round trip. */
async function loadFacts(db: Db, eventId: string, ticketId: string, listId: string) {
  const [ticketRows, listRows, eventRows] = await db.batch([
    db
      .select({
        id: tickets.id,
        ticketTypeId: tickets.ticketTypeId,
        ticketTypeName: ticketTypes.name,
        orderId: tickets.orderId,
        holderName: orders.buyerName,
        status: tickets.status,
        testMode: orders.testMode,
      })
      .from(tickets)
      .innerJoin(orders, eq(orders.id, tickets.orderId))
      .leftJoin(ticketTypes, eq(ticketTypes.id, tickets.ticketTypeId))
      .where(and(eq(tickets.id, ticketId), eq(tickets.eventId, eventId))),
    db
      .select()
      .from(checkinLists)
      .where(and(eq(checkinLists.id, listId), eq(checkinLists.eventId, eventId))),
    db
      .select({ status: events.status, createdAt: events.createdAt, testMode: events.testMode })
      .from(events)
      .where(eq(events.id, eventId)),
  ]);
  const event = eventRows[0];
  let list: CheckinList | undefined = listRows[0];
  if (!list && event && listId === defaultCheckinListId(eventId)) {
    list = defaultList(eventId, event.createdAt);
  }
  return {
    ticket: ticketRows[0],
    list,
    event: { canceled: event?.status === 'canceled', testMode: event?.testMode ?? false },
  };
}

/**
 * During a gradual deploy this Worker may reach an object of the previous version, which only
 * has `checkIn(ticketId)`: the default list's entry scan falls back to it; any other list waits.
 */
async function scanInObject(
  env: Env,
  eventId: string,
  scan: OnlineScan,
  isDefault: boolean,
): Promise<ScanResult | null> {
  const stub = inventoryFor(env, eventId);
  try {
    return await stub.scan(scan);
  } catch (error) {
    if (!(error instanceof Error) || !/does not implement|not a function/i.test(error.message)) {
      throw error;
    }
    if (!isDefault || scan.direction !== 'entry') {
      throw problem('try_again_later', 'Check-in lists are being upgraded; try again shortly.');
    }
    const legacy = await stub.checkIn(scan.ticketId);
    const answer: ScanAnswer =
      legacy.result === 'ok'
        ? { result: 'ok', checkedInAt: legacy.checkedInAt, reentry: false }
        : legacy.result === 'already_checked_in'
          ? {
              result: 'already_checked_in',
              firstCheckedInAt: legacy.firstCheckedInAt,
              gate: null,
              deviceId: '',
            }
          : { result: 'refunded' };
    return { ok: true, answer, replayed: false };
  }
}

async function reply(db: Db, answer: ScanAnswer): Promise<ScanReply> {
  if (answer.result !== 'already_checked_in') return answer;
  const device = answer.deviceId
    ? await db
        .select({ id: doorDevices.id, name: doorDevices.name })
        .from(doorDevices)
        .where(eq(doorDevices.id, answer.deviceId))
        .get()
    : undefined;
  return {
    result: 'already_checked_in',
    firstCheckedInAt: answer.firstCheckedInAt,
    gate: answer.gate,
    device: device ?? null,
  };
}
