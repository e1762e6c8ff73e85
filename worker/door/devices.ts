import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { bindSlices } from '../db/bind-slices';
import type { Db } from '../db/client';
import { doorDevices } from '../db/schema';
import { sha256Hex } from '../domain/crypto';
import { type FieldError, notFound, problem, validationFailed } from '../domain/errors';
import { newId, randomToken } from '../domain/ids';
import type { CheckinList } from './lists';

/**
 * Door devices: a token (`dev_` + 32 random characters, 160 bits) that scans, searches and
 * syncs for one event's lists and does nothing else. Only its SHA-256 is stored.
 */

export type DeviceRow = typeof doorDevices.$inferSelect;

/** The device a door request was authenticated as. */
export interface DoorDevice {
  id: string;
  eventId: string;
  organizerId: string;
  name: string;
  /** null: every list of the event. */
  listIds: string[] | null;
  lastSeenAt: string | null;
}

const TOKEN = /^dev_[0-9a-z]{32}$/;
const MAX_ACTIVE_DEVICES = 200;

export function looksLikeDeviceToken(token: string): boolean {
  return TOKEN.test(token);
}

export function deviceView(row: DeviceRow) {
  return {
    id: row.id,
    eventId: row.eventId,
    name: row.name,
    listIds: row.listIds,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    revokedAt: row.revokedAt,
  };
}

export async function createDevice(
  db: Db,
  input: { eventId: string; organizerId: string; createdBy: string; name: string },
  listIds: string[] | null,
  lists: CheckinList[],
): Promise<{ row: DeviceRow; token: string }> {
  const known = new Set(lists.map((l) => l.id));
  const errors: FieldError[] = (listIds ?? []).flatMap((id, i) =>
    known.has(id) ? [] : [{ path: `listIds.${i}`, message: 'No such check-in list in this event' }],
  );
  if (errors.length > 0) throw validationFailed(errors);
  const active = await db
    .select({ id: doorDevices.id })
    .from(doorDevices)
    .where(and(eq(doorDevices.eventId, input.eventId), isNull(doorDevices.revokedAt)))
    .limit(MAX_ACTIVE_DEVICES);
  if (active.length >= MAX_ACTIVE_DEVICES) {
    throw problem('invalid_state', `An event has at most ${MAX_ACTIVE_DEVICES} active devices.`);
  }
  const token = `dev_${randomToken(32)}`;
  const row: DeviceRow = {
    ...input,
    id: newId('dvc'),
    listIds: listIds ? [...new Set(listIds)] : null,
    tokenHash: await sha256Hex(token),
    createdAt: new Date().toISOString(),
    lastSeenAt: null,
    revokedAt: null,
  };
  await db.insert(doorDevices).values(row);
  return { row, token };
}

export function eventDevices(db: Db, eventId: string): Promise<DeviceRow[]> {
  return db
    .select()
    .from(doorDevices)
    .where(eq(doorDevices.eventId, eventId))
    .orderBy(desc(doorDevices.createdAt), desc(doorDevices.id));
}

/** Revokes at once (no copy of a device is kept anywhere). Revoking twice is harmless. */
export async function revokeDevice(db: Db, eventId: string, deviceId: string): Promise<void> {
  const row = await db
    .select({ id: doorDevices.id, revokedAt: doorDevices.revokedAt })
    .from(doorDevices)
    .where(and(eq(doorDevices.id, deviceId), eq(doorDevices.eventId, eventId)))
    .get();
  if (!row) throw notFound('device');
  if (row.revokedAt) return;
  await db
    .update(doorDevices)
    .set({ revokedAt: new Date().toISOString() })
    .where(and(eq(doorDevices.id, deviceId), isNull(doorDevices.revokedAt)));
}

/** The active device a token belongs to, read from D1 on every request. */
export async function deviceForToken(db: Db, token: string): Promise<DoorDevice | undefined> {
  if (!looksLikeDeviceToken(token)) return undefined;
  return db
    .select({
      id: doorDevices.id,
      eventId: doorDevices.eventId,
      organizerId: doorDevices.organizerId,
      name: doorDevices.name,
      listIds: doorDevices.listIds,
      lastSeenAt: doorDevices.lastSeenAt,
    })
    .from(doorDevices)
    .where(and(eq(doorDevices.tokenHash, await sha256Hex(token)), isNull(doorDevices.revokedAt)))
    .get();
}

/** Lists the device may scan on, of the event's current lists. */
export function deviceLists(
  device: Pick<DoorDevice, 'listIds'>,
  lists: CheckinList[],
): CheckinList[] {
  if (device.listIds === null) return lists;
  const allowed = new Set(device.listIds);
  return lists.filter((l) => allowed.has(l.id));
}

/** Marks the device seen, at most once a minute (a scan a second must not write each time). */
export async function touchDevice(db: Db, device: DoorDevice, nowMs: number): Promise<void> {
  if (device.lastSeenAt && nowMs - Date.parse(device.lastSeenAt) < 60_000) return;
  await db
    .update(doorDevices)
    .set({ lastSeenAt: new Date(nowMs).toISOString() })
    .where(eq(doorDevices.id, device.id));
}

/** Names of the event's devices by id (conflicts and answers show names, not ids). */
export async function deviceNames(
  db: Db,
  eventId: string,
  ids: string[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id) => id !== ''))];
  if (wanted.length === 0) return new Map();
  // A conflicts page of 200 can name more devices than D1 binds in one query.
  const pages = await Promise.all(
    bindSlices(wanted).map((slice) =>
      db
        .select({ id: doorDevices.id, name: doorDevices.name })
        .from(doorDevices)
        .where(and(eq(doorDevices.eventId, eventId), inArray(doorDevices.id, slice))),
    ),
  );
  return new Map(pages.flat().map((r) => [r.id, r.name]));
}
