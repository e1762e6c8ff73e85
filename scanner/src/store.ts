import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { Admission, KeptScan, Pairing, Prepared, StoredTicket } from './types';

/**
 * IndexedDB (through idb): the pairing, the prepared bundle (event, lists, public keys), the
 * event's tickets, what this device knows of admissions, and the scans it kept offline.
 */

interface Settings {
  listId: string | null;
  gate: string | null;
}

interface DoorDb extends DBSchema {
  meta: {
    key: 'pairing' | 'prepared' | 'settings';
    value: Pairing | Prepared | Settings;
  };
  tickets: { key: string; value: StoredTicket };
  admissions: { key: string; value: Admission };
  scans: { key: string; value: KeptScan; indexes: { state: string } };
}

let opened: Promise<IDBPDatabase<DoorDb>> | undefined;

function db(): Promise<IDBPDatabase<DoorDb>> {
  opened ??= openDB<DoorDb>('tessera-door', 1, {
    upgrade(database) {
      database.createObjectStore('meta');
      database.createObjectStore('tickets', { keyPath: 'id' });
      database.createObjectStore('admissions', { keyPath: 'key' });
      database.createObjectStore('scans', { keyPath: 'nonce' }).createIndex('state', 'state');
    },
  });
  return opened;
}

export const admissionKey = (listId: string, ticketId: string) => `${listId} ${ticketId}`;

export async function loadPairing(): Promise<Pairing | null> {
  return ((await (await db()).get('meta', 'pairing')) as Pairing | undefined) ?? null;
}

export async function loadPrepared(): Promise<Prepared | null> {
  return ((await (await db()).get('meta', 'prepared')) as Prepared | undefined) ?? null;
}

export async function loadSettings(): Promise<Settings> {
  const saved = (await (await db()).get('meta', 'settings')) as Settings | undefined;
  return saved ?? { listId: null, gate: null };
}

export async function saveSettings(settings: Settings): Promise<void> {
  await (await db()).put('meta', settings, 'settings');
}

/**
 * A pairing for another event starts from nothing: that event's tickets and scans must not
 * linger. Paired again for the same event (a revoked device, a new code), the scans not yet
 * synced stay, to be synced with the new token.
 */
export async function savePairing(pairing: Pairing): Promise<void> {
  const database = await db();
  const tx = database.transaction(['meta', 'tickets', 'admissions', 'scans'], 'readwrite');
  const before = (await tx.objectStore('meta').get('pairing')) as Pairing | undefined;
  if (before?.event.id !== pairing.event.id) {
    await Promise.all([
      tx.objectStore('meta').clear(),
      tx.objectStore('tickets').clear(),
      tx.objectStore('admissions').clear(),
      tx.objectStore('scans').clear(),
    ]);
  }
  await tx.objectStore('meta').put(pairing, 'pairing');
  await tx.done;
}

/** One downloaded page of the bundle, in one transaction. */
export async function savePage(page: {
  prepared?: Prepared;
  tickets: StoredTicket[];
  revocations?: { ticketId: string }[];
  checkins?: { ticketId: string; listId: string; firstCheckedInAt: string; inside: boolean }[];
}): Promise<void> {
  const database = await db();
  const tx = database.transaction(['meta', 'tickets', 'admissions'], 'readwrite');
  const tickets = tx.objectStore('tickets');
  const admissions = tx.objectStore('admissions');
  for (const ticket of page.tickets) await tickets.put(ticket);
  for (const { ticketId } of page.revocations ?? []) {
    const known = await tickets.get(ticketId);
    if (known) await tickets.put({ ...known, status: 'revoked' });
  }
  for (const c of page.checkins ?? []) {
    const key = admissionKey(c.listId, c.ticketId);
    const mine = await admissions.get(key);
    // A scan of this device not yet synced may be newer than what the server knew.
    if (mine?.by === 'this device' && mine.inside && !c.inside) continue;
    await admissions.put({
      key,
      listId: c.listId,
      ticketId: c.ticketId,
      firstAt: c.firstCheckedInAt,
      inside: c.inside,
      gate: mine?.gate ?? null,
      by: mine?.by ?? 'another door',
    });
  }
  if (page.prepared) await tx.objectStore('meta').put(page.prepared, 'prepared');
  await tx.done;
}

export async function ticket(id: string): Promise<StoredTicket | undefined> {
  return (await db()).get('tickets', id);
}

export async function allTickets(): Promise<StoredTicket[]> {
  return (await db()).getAll('tickets');
}

export async function countTickets(): Promise<number> {
  return (await db()).count('tickets');
}

export async function admission(listId: string, ticketId: string): Promise<Admission | undefined> {
  return (await db()).get('admissions', admissionKey(listId, ticketId));
}

/** An offline scan: its fact, and what it changed on this device, in one transaction. */
export async function recordScan(scan: KeptScan, changes: Admission[]): Promise<void> {
  const database = await db();
  const tx = database.transaction(['scans', 'admissions'], 'readwrite');
  await tx.objectStore('scans').put(scan);
  for (const change of changes) await tx.objectStore('admissions').put(change);
  await tx.done;
}

/** Admissions of a ticket on every list (an exit takes it out of all of them). */
export async function admissionsOf(ticketId: string): Promise<Admission[]> {
  const all = await (await db()).getAll('admissions');
  return all.filter((a) => a.ticketId === ticketId);
}

export async function keptScans(limit: number): Promise<KeptScan[]> {
  return (await db()).getAllFromIndex('scans', 'state', 'kept', limit);
}

export async function countKept(): Promise<number> {
  return (await db()).countFromIndex('scans', 'state', 'kept');
}

export async function markScans(nonces: string[], state: KeptScan['state']): Promise<void> {
  const database = await db();
  const tx = database.transaction('scans', 'readwrite');
  for (const nonce of nonces) {
    const scan = await tx.store.get(nonce);
    if (scan) await tx.store.put({ ...scan, state });
  }
  await tx.done;
}
