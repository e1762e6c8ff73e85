import { Offline, request } from './api';
import type { Door } from './door';
import { allTickets } from './store';

/** Search by name or order, the fallback for a code that will not scan: online, else local. */

export interface Found {
  ticketId: string;
  orderId: string;
  holderName: string | null;
  ticketTypeName: string | null;
}

export async function searchTickets(door: Door, q: string): Promise<Found[]> {
  if (q.length < 2 || !door.pairing) return [];
  if (door.mode === 'online') {
    try {
      const page = await request<{ data: Found[] }>(
        'GET',
        `/api/v1/door/search?${new URLSearchParams({ q, limit: '20' })}`,
        { token: door.pairing.token },
      );
      return page.data;
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
      door.goOffline();
    }
  }
  const needle = q.toLowerCase();
  const types = new Map(door.prepared?.ticketTypes.map((t) => [t.id, t.name]));
  return (await allTickets())
    .filter((t) => t.orderId === q || (t.holderName ?? '').toLowerCase().includes(needle))
    .slice(0, 20)
    .map((t) => ({
      ticketId: t.id,
      orderId: t.orderId,
      holderName: t.holderName,
      ticketTypeName: types.get(t.ticketTypeId) ?? null,
    }));
}
